"""Where the URLs to monitor come from, and who is told of a breakage: filled by the apps that use links.

The link monitor imports nothing of the portal's other apps; they register here instead, typically in their
AppConfig.ready():

    from linkcheck import registry
    registry.register_source(evidence_links)          # a callable yielding (url, owner) pairs
    registry.register_notifier("agency:", tell_agency)  # called as tell_agency(owner, links)

An owner is an opaque string (up to 100 characters) chosen by the registering app. `check_links` calls every
source on each run, so what is monitored always matches what the portal currently holds: a URL no source
yields any more stops being monitored. A notifier is called once per owner whose prefix it registered, with
that owner's newly broken links; if it raises, the breakages stay unannounced and the next run tries again.
"""

from collections.abc import Callable, Iterable

Source = Callable[[], Iterable[tuple[str, str]]]
Notifier = Callable[[str, list], None]

_sources: list[Source] = []
_notifiers: list[tuple[str, Notifier]] = []


def register_source(source: Source) -> Source:
    if source not in _sources:
        _sources.append(source)
    return source


def register_notifier(prefix: str, notifier: Notifier) -> Notifier:
    if (prefix, notifier) not in _notifiers:
        _notifiers.append((prefix, notifier))
    return notifier


def sources() -> list[Source]:
    return list(_sources)


def notifiers_for(owner: str) -> list[Notifier]:
    return [notifier for prefix, notifier in _notifiers if owner.startswith(prefix)]

"""What the plan asks of the ITA's catalogue, without knowing who keeps it.

The ITA's indicator table (official names, IIT/EIT/OIT groups) and its OIT items are data of the `oit` app,
which uses `measures`; DESIGN.md's rule is that `measures` imports nothing of the other apps. So this module
declares the two questions the plan asks — "what is fiscal year Y's indicator table?" (the plan importer) and
"which OIT items do these measures answer?" (the plan page) — and the app that keeps the catalogue answers them
by registering a provider at start-up (`oit/apps.py`). Without a provider the plan has no official table and
the plan page shows no items; the dependency stays pointing one way, and measures can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class OfficialIndicator:
    number: int
    group: str  # measures.models.Indicator.Group
    name_th: str
    name_en: str


@dataclass(frozen=True)
class ItemRef:
    """An OIT item as the plan page shows it beside a measure."""

    code: str
    name: str


class Catalogue(Protocol):
    def indicator_table(self, year: int) -> dict[int, OfficialIndicator]:
        """Fiscal year `year`'s ITA indicator table by number; empty when the year has none."""

    def items_by_measure(self, measure_ids: Iterable[int]) -> dict[int, list[ItemRef]]:
        """The OIT items each of the measures answers, in the ITA's order (measures without any are left out)."""


class _NoCatalogue:
    def indicator_table(self, year):
        return {}

    def items_by_measure(self, measure_ids):
        return {}


_provider: Catalogue = _NoCatalogue()


def register(provider: Catalogue) -> None:
    global _provider
    _provider = provider


def indicator_table(year: int) -> dict[int, OfficialIndicator]:
    return _provider.indicator_table(year)


def items_by_measure(measure_ids: Iterable[int]) -> dict[int, list[ItemRef]]:
    ids = list(measure_ids)
    return _provider.items_by_measure(ids) if ids else {}

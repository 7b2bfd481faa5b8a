"""Check many URLs over HTTP(S), politely: no database, no Django, only httpx on asyncio.

At most `concurrency` requests are in flight at once, and at most `per_host` to one host (host:port): each
host gets that many workers taking its URLs in turn, and every request also takes one of the global slots.
A URL is checked with HEAD and, when HEAD gets an error status (many servers refuse or mishandle HEAD), with
a GET whose body is never read. Redirects are followed up to `max_redirects`; each request, its redirects
included, must finish within `timeout` seconds. Network failures (timeout, refused connection, a TLS error)
are not retried with GET: the same server would fail the same way.

`check_urls` yields results as they arrive, from an event loop in a worker thread, so a caller can write
them to the database in batches while the checks go on (memory stays flat with the number of URLs).
"""

import asyncio
import queue
import ssl
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx


@dataclass(frozen=True)
class Result:
    url: str
    ok: bool
    status_code: int | None = None
    error: str = ""  # one of linkcheck.models.Error's values; "" when ok
    detail: str = ""
    seconds: float = 0.0


def host_key(url: str) -> str:
    """What "one host" means for the per-host limit: the host name and port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{host}:{port}"


def is_checkable(url: str) -> bool:
    """An absolute http(s) URL with a host; anything else is never requested."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _is_tls_error(error: BaseException) -> bool:
    seen = set()
    current = error
    while current is not None and id(current) not in seen:
        if isinstance(current, ssl.SSLError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    text = str(error)
    return "SSL" in text or "CERTIFICATE" in text.upper()


async def _request(client: httpx.AsyncClient, method: str, url: str, timeout: float) -> int:
    """The final status code of `method url` after redirects; the body is not read."""
    async with asyncio.timeout(timeout):
        async with client.stream(method, url) as response:
            return response.status_code


async def check_one(client: httpx.AsyncClient, url: str, *, timeout: float) -> Result:
    started = time.monotonic()

    def result(ok, status=None, error="", detail=""):
        return Result(url, ok, status, error, detail, round(time.monotonic() - started, 3))

    if not is_checkable(url):
        return result(False, error="invalid", detail="not an http(s) address")
    try:
        status = await _request(client, "HEAD", url, timeout)
        if status >= 400:
            status = await _request(client, "GET", url, timeout)
    except httpx.TooManyRedirects as error:
        return result(False, error="redirects", detail=str(error))
    except (TimeoutError, httpx.TimeoutException):
        return result(False, error="timeout", detail=f"no answer within {timeout:g} s")
    except httpx.ConnectError as error:
        kind = "tls" if _is_tls_error(error) else "connect"
        return result(False, error=kind, detail=str(error) or type(error).__name__)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        return result(False, error="invalid", detail=str(error))
    except (httpx.HTTPError, ssl.SSLError, OSError, UnicodeError, ValueError) as error:
        kind = "tls" if _is_tls_error(error) else "other"
        return result(False, error=kind, detail=str(error) or type(error).__name__)
    if status >= 400:
        return result(False, status, error="http", detail=f"HTTP {status}")
    return result(True, status)


async def _check_all(
    urls: Iterable[str],
    emit,
    *,
    concurrency: int,
    per_host: int,
    timeout: float,
    max_redirects: int,
    user_agent: str,
) -> None:
    by_host: dict[str, deque] = defaultdict(deque)
    for url in urls:
        by_host[host_key(url) if is_checkable(url) else ""].append(url)
    slots = asyncio.Semaphore(concurrency)
    client = httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=max_redirects,
        timeout=timeout,
        limits=httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency),
        headers={"User-Agent": user_agent},
    )

    async def worker(pending: deque) -> None:
        while pending:
            url = pending.popleft()
            async with slots:
                emit(await check_one(client, url, timeout=timeout))

    async with client, asyncio.TaskGroup() as group:
        for pending in by_host.values():
            for _ in range(min(per_host, len(pending))):
                group.create_task(worker(pending))


_DONE = object()


def check_urls(
    urls: Iterable[str],
    *,
    concurrency: int = 10,
    per_host: int = 2,
    timeout: float = 10.0,
    max_redirects: int = 5,
    user_agent: str = "ITA-portal-linkcheck/1.0",
) -> Iterator[Result]:
    """Check `urls` and yield one Result per URL, in the order they finish."""
    urls = list(urls)
    results: queue.SimpleQueue = queue.SimpleQueue()

    def run() -> None:
        try:
            asyncio.run(
                _check_all(
                    urls,
                    results.put,
                    concurrency=concurrency,
                    per_host=per_host,
                    timeout=timeout,
                    max_redirects=max_redirects,
                    user_agent=user_agent,
                )
            )
        except BaseException as error:  # noqa: BLE001 - handed to the caller's thread and raised there
            results.put(error)
        finally:
            results.put(_DONE)

    thread = threading.Thread(target=run, name="linkcheck", daemon=True)
    thread.start()
    try:
        while (item := results.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        thread.join()

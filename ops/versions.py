"""The data version: changes whenever anything a page may show could have changed.

    version = versions.current()      # (shared, local): one query
    ...                               # render; keep it under `version` (ops.pagecache)

Every SQL statement Django runs passes `track_writes` (put on each database connection as it opens). A statement
that writes (INSERT, UPDATE, DELETE, or anything that is not a read) to a table outside `UNTRACKED` raises:

- the **local** part at once: a counter of this process, so this process never serves a page from before one
  of its own writes, committed or not (and in tests, where transactions never commit);
- the **shared** part when the transaction commits: the one row of `ops_dataversion`, raised in a statement of
  its own after the commit (`transaction.on_commit`), so no lock is held across a transaction and no two
  transactions wait on each other for it. Every process reads it.

A reader that reads the shared version just before a commit is raised keeps its page under the old number,
which nobody asks for once the new one is read: a page is never served from before the last committed change.

What this cannot see: writes that do not go through Django's database connection (psql by hand, `COPY` from
another program). Kept pages expire after the page cache's TIMEOUT (settings.CACHES["pages"]) for those.

`UNTRACKED` are tables no page shows that are written while pages are merely read (sessions, sign-in
bookkeeping, the cache table, workers' heartbeats, the job queue); `tests/ops/test_pagecache.py` checks no kept
page reads one. Changing a setting (tests do) and runserver seeing a file change (a template edited) raise the
local part too.
"""

import functools
import itertools
import logging
import re
import threading

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.utils.autoreload import file_changed

log = logging.getLogger(__name__)

TABLE = "ops_dataversion"
_RAISE = 'UPDATE "ops_dataversion" SET "n" = "n" + 1 WHERE "id" = 1'
_START = 'INSERT INTO "ops_dataversion" ("id", "n") VALUES (1, 1)'
_READ = 'SELECT "n" FROM "ops_dataversion" WHERE "id" = 1'
UNTRACKED = frozenset(
    {
        TABLE,
        "django_session",
        "accounts_usersession",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "loginguard_trusteddevice",
        "ops_workerheartbeat",
        "django_tasks_database_dbtaskresult",
    }
)
# Statements that change nothing: reads and transaction control. Anything else counts as a write.
_READS = (
    "SELECT",
    "SAVEPOINT",
    "RELEASE",
    "ROLLBACK",
    "BEGIN",
    "COMMIT",
    "SET ",
    "SHOW",
    "EXPLAIN",
    "PRAGMA",
)
_WRITE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+\"?([^\s\"(]+)",
    re.IGNORECASE,
)

_counter = itertools.count(1)
_lock = threading.Lock()
_state = {"local": 0, "writes": 0}


def _cache_tables() -> set:
    """The database cache's tables: what `cache.get` and `cache.set` write is a copy, never a change."""
    return {c["LOCATION"] for c in settings.CACHES.values() if c["BACKEND"].endswith("DatabaseCache")}


def written_table(sql: str) -> str | None:
    """The table a statement writes to; "" for a write whose table is not read off it; None for a read."""
    head = sql.lstrip()[:10].upper()
    if head.startswith(_READS):
        return None
    match = _WRITE.match(sql)
    return match.group(1) if match else ""


def raise_local(**_kwargs) -> None:
    with _lock:
        _state["local"] = next(_counter)


def writes() -> int:
    """How many writing statements this process has run (any table but the cache's): a page whose view wrote
    is not kept (its writes would be skipped when it is served again)."""
    return _state["writes"]


def track_writes(execute, sql, params, many, context):
    try:
        return execute(sql, params, many, context)
    finally:
        table = written_table(sql) if isinstance(sql, str) else ""
        if table is not None:
            _note_write(context["connection"], table)


def _note_write(connection, table: str) -> None:
    cache_tables = _cache_tables()
    if table != TABLE and table not in cache_tables:
        with _lock:
            _state["writes"] += 1
    if table in UNTRACKED or table in cache_tables:
        return
    raise_local()
    connection.dataversion_pending = True
    if not connection.in_atomic_block:
        _publish(connection)  # autocommit: the write is committed already
        return
    # Once per transaction (a savepoint rolled back takes its callbacks with it, and the next write adds it again).
    publish = connection.__dict__.setdefault("dataversion_publish", functools.partial(_publish, connection))
    if not any(callback is publish for _sids, callback, _robust in connection.run_on_commit):
        transaction.on_commit(publish, using=connection.alias)


def _publish(connection) -> None:
    """Raise the shared version once for the transaction just committed (later callbacks of it find it done)."""
    if not getattr(connection, "dataversion_pending", False):
        return
    connection.dataversion_pending = False
    try:
        with connection.cursor() as cursor:
            cursor.execute(_RAISE)
            if cursor.rowcount == 0:  # the row is gone (a test database flushed): start again
                cursor.execute(_START)
    except DatabaseError:  # before the migration, or another process inserted the row first
        log.debug("data version not raised", exc_info=True)


def current_local() -> int:
    return _state["local"]


def current(using: str = "default") -> tuple[int, int]:
    """(shared, local): one query."""
    with connections[using].cursor() as cursor:
        cursor.execute(_READ)
        row = cursor.fetchone()
    return (row[0] if row else 0, _state["local"])


def install(sender=None, connection=None, **_kwargs) -> None:
    """Put `track_writes` first on a connection's execute wrappers (first: `connection.execute_wrapper()`
    removes the last one when its block ends, which must not be this one)."""
    if track_writes not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, track_writes)


def _file_changed(sender=None, file_path=None, **_kwargs) -> None:
    """runserver's reloader saw a file change (a template it reloads without restarting): render pages anew."""
    raise_local()


def connect_signals() -> None:
    connection_created.connect(install, dispatch_uid="ops.versions.install")
    setting_changed.connect(raise_local, dispatch_uid="ops.versions.settings")
    file_changed.connect(_file_changed, dispatch_uid="ops.versions.file_changed")
    for connection in connections.all(initialized_only=True):
        install(connection=connection)


def without_publishing(callbacks: list) -> list:
    """On-commit callbacks other than the data version's own (for tests that count what a view registered)."""
    return [c for c in callbacks if getattr(c, "func", None) is not _publish]

"""The embedded SQLite default answers two simultaneous writes one after the other, never "database is locked".

Two threads, each in a transaction that reads and then writes, the second starting while the first is still
between its read and its write: with SQLite's default deferred transactions the second cannot be given the
write lock and fails at once; with `transaction_mode="IMMEDIATE"` and a busy timeout it waits its turn.
Runs in a subprocess against a SQLite file, with the settings' own database configuration.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SCRIPT = """
import sys, threading, time
import django
django.setup()
from django.db import connection, transaction

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE counter (n integer)")
    cursor.execute("INSERT INTO counter VALUES (0)")
errors = []

def save(delay_before, delay_between):
    time.sleep(delay_before)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT n FROM counter")
            time.sleep(delay_between)
            cursor.execute("UPDATE counter SET n = n + 1")
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()

threads = [threading.Thread(target=save, args=(0, 0.6)), threading.Thread(target=save, args=(0.2, 0))]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT n FROM counter")
    print(cursor.fetchone()[0], errors)
"""


def _run(tmp_path, **env):
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(
        DJANGO_SETTINGS_MODULE="satun_ita.settings",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        **env,
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_two_simultaneous_writes_both_succeed_on_the_sqlite_default(tmp_path):
    assert _run(tmp_path) == "2 []"

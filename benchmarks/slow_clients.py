"""Slow clients behind the production set-up (nginx with request buffering in front of gunicorn gthread), on
127.0.0.1, bounded in time:

    .venv/bin/python benchmarks/slow_clients.py        # about 2 minutes

1. Slow upload: a reporter uploads a 10 MB file at 2 Mbit/s (40 s of sending). Before this set-up the README's
   deployment (gunicorn sync workers, 30 s timeout, no proxy) cut it off after 31 s. Now nginx receives the whole
   body first and hands it to gunicorn in one go: the upload must be stored.
2. Slow clients: 3 clients send request bodies at 1 KB/s and 3 read a page at 1 KB/s, for 30 s, while a normal
   visitor asks for the plan once a second. Before, three slow clients stalled a normal request for 30 s; now
   every normal request must answer within a second.

Ports 8178 (nginx), 8179 (gunicorn); database satun_i13_slow (made anew). Results in benchmarks/README.md.
"""

import os
import re
import socket
import ssl
import statistics
import sys
import threading
import time
import uuid
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stack import Stack  # noqa: E402

PROXY, APP = 8178, 8179
DEMO_PASSWORD = "satun2565"  # setup_demo's accounts
UPLOAD_BYTES = 10 * 1024 * 1024 - 64 * 1024  # just under EVIDENCE_MAX_UPLOAD_MB with the form around it
RATE = 2_000_000 // 8  # 2 Mbit/s in bytes per second
SLOW_SECONDS = 30
failures = []


def check(condition, text):
    print(("  ok    " if condition else "  FAIL  ") + text)
    if not condition:
        failures.append(text)


def tls_socket(port: int, cafile: str) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=cafile)
    raw = socket.create_connection(("127.0.0.1", port), timeout=120)
    return context.wrap_socket(raw, server_hostname="127.0.0.1")


def read_status(sock) -> int:
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(1024)
        if not chunk:
            return 0
        head += chunk
    return int(head.split(b" ", 2)[1])


def logged_in_session(stack, username, password=DEMO_PASSWORD):
    session = requests.Session()
    page = session.get(stack.base_url + "/accounts/login/", verify=stack.certificate, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        stack.base_url + "/accounts/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Referer": stack.base_url + "/accounts/login/"},
        verify=stack.certificate,
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.status_code
    return session


def slow_upload(stack) -> None:
    print(f"1. a {UPLOAD_BYTES / 1e6:.1f} MB upload at 2 Mbit/s")
    session = logged_in_session(stack, "reporter")
    with psycopg2.connect(stack.database_url) as db, db.cursor() as cursor:
        cursor.execute(
            "SELECT p.id, r.id FROM reports_measureprogress p JOIN reports_quarterlyreport r ON r.id = p.report_id "
            "JOIN measures_agency g ON g.id = r.agency_id WHERE g.code = 'PROV' AND r.status IN ('draft', 'returned') "
            "ORDER BY p.id LIMIT 1"
        )
        progress_id, report_id = cursor.fetchone()
    page = session.get(f"{stack.base_url}/reports/{report_id}/", verify=stack.certificate, timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    boundary = uuid.uuid4().hex
    pdf = b"%PDF-1.4\n" + os.urandom(UPLOAD_BYTES - 20) + b"\n%%EOF\n"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file{progress_id}-description"\r\n\r\nslow\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file{progress_id}-file"; filename="slow.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + pdf
        + f"\r\n--{boundary}--\r\n".encode(),
    ]
    body = b"".join(parts)
    cookies = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    head = (
        f"POST /progress/{progress_id}/evidence/file/ HTTP/1.1\r\nHost: 127.0.0.1:{PROXY}\r\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {len(body)}\r\n"
        f"Cookie: {cookies}\r\nReferer: {stack.base_url}/reports/{report_id}/\r\nConnection: close\r\n\r\n"
    ).encode()
    sock = tls_socket(PROXY, stack.certificate)
    started = time.monotonic()
    sock.sendall(head)
    chunk = RATE // 10
    for offset in range(0, len(body), chunk):
        sock.sendall(body[offset : offset + chunk])
        pause = started + (offset + chunk) / RATE - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    sent = time.monotonic() - started
    status = read_status(sock)
    answered = time.monotonic() - started
    sock.close()
    check(sent > 35, f"sending took {sent:.1f} s ({len(body) * 8 / sent / 1e6:.2f} Mbit/s)")
    check(status == 302, f"answered {status} {answered - sent:.2f} s after the last byte (302: stored)")
    with psycopg2.connect(stack.database_url) as db, db.cursor() as cursor:
        cursor.execute("SELECT size, file FROM reports_evidence WHERE kind = 'file' ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    check(row is not None and row[0] == len(pdf), f"evidence row with {row[0] if row else 0:,} bytes")
    stored = Path(stack.run / "media-slow" / row[1]) if row else None
    check(stored is not None and stored.read_bytes() == pdf, "the stored file is the one sent")


def slow_sender(stack, stop):
    """A client that sends a 100 KB form body at 1 KB/s."""
    sock = tls_socket(PROXY, stack.certificate)
    sock.sendall(
        f"POST /accounts/login/ HTTP/1.1\r\nHost: 127.0.0.1:{PROXY}\r\nContent-Type: application/x-www-form-urlencoded"
        f"\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n".encode()
    )
    while not stop.is_set():
        try:
            sock.sendall(b"a" * 1024)
        except OSError:
            return
        stop.wait(1)
    sock.close()


def slow_reader(stack, stop):
    """A client that asks for the plan page and reads it at 1 KB/s."""
    sock = tls_socket(PROXY, stack.certificate)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.sendall(f"GET /plan/ HTTP/1.1\r\nHost: 127.0.0.1:{PROXY}\r\nConnection: close\r\n\r\n".encode())
    while not stop.is_set():
        try:
            if not sock.recv(1024):
                return
        except OSError:
            return
        stop.wait(1)
    sock.close()


def slow_clients(stack) -> None:
    print(f"2. 3 slow senders and 3 slow readers for {SLOW_SECONDS} s, and a normal visitor once a second")
    stop = threading.Event()
    threads = [
        threading.Thread(target=f, args=(stack, stop), daemon=True)
        for f in [slow_sender] * 3 + [slow_reader] * 3
    ]
    for thread in threads:
        thread.start()
    time.sleep(2)
    latencies, statuses = [], []
    visitor = requests.Session()
    deadline = time.monotonic() + SLOW_SECONDS
    while time.monotonic() < deadline:
        started = time.monotonic()
        response = visitor.get(stack.base_url + "/plan/", verify=stack.certificate, timeout=60)
        latencies.append(time.monotonic() - started)
        statuses.append(response.status_code)
        time.sleep(max(0, 1 - latencies[-1]))
    stop.set()
    alive = sum(thread.is_alive() for thread in threads)
    check(set(statuses) == {200}, f"{len(statuses)} normal requests, statuses {sorted(set(statuses))}")
    check(
        max(latencies) < 1,
        f"normal request p50 {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms",
    )
    print(f"        (slow connections still open at the end: {alive} of 6)")


def main() -> int:
    started = time.monotonic()
    with Stack(
        database=os.environ.get("SLOW_DB", "satun_i13_slow"),
        moto_port=None,
        app_ports=[APP],
        proxy_port=PROXY,
    ) as stack:
        stack.prepare_database()
        stack.start_app(APP, "slow")
        stack.start_proxy()
        slow_upload(stack)
        slow_clients(stack)
    print(
        f"{'PASS' if not failures else 'FAIL'}: {len(failures)} failure(s) in {time.monotonic() - started:.0f} s"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

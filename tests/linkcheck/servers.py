"""HTTP(S) servers on 127.0.0.1 for the link monitor's tests and benchmark, each stopping by itself.

One `TestServer` answers by path:

    /ok       200                      /missing  404            /error  500
    /slow     200 after SLOW seconds   /hang     no answer for HANG seconds (longer than the test timeout)
    /loop     302 to itself            /moved    301 to /ok     /no-head  405 to HEAD, 200 to GET
    /set/...  the status in `server.statuses[path]` (default 200), so a test can break and mend a page
    /delay/N  200 after N milliseconds

It counts requests per method and path, and the most /delay/ requests it had in flight at once.
"""

import http.server
import shutil
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

HOST = "127.0.0.1"
SLOW = 0.4
HANG = 3.0
# Seconds; a server still up by then shuts itself down. The suite's servers are session fixtures, used from the
# first link-monitor test to the last: longer than the whole suite on the slowest machine (CI allows 90 minutes).
# At 900 s the server was gone before the suite's last link tests on a machine where the suite takes 18 minutes.
LIFETIME = 5400.0


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: "_Server"

    def log_message(self, format, *args):  # noqa: A002 - quiet
        pass

    def _answer(self, send_body: bool):
        owner = self.server.owner
        path = self.path.split("?", 1)[0]
        counted = path.startswith("/delay/")
        with owner.lock:
            owner.requests[(self.command, path)] += 1
            if counted:
                owner.in_flight += 1
                owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
        try:
            status, headers = self._route(path)
        finally:
            # Counted out before answering: the client may send its next request as soon as it reads this.
            if counted:
                with owner.lock:
                    owner.in_flight -= 1
        try:
            body = b"" if status in (301, 302) else f"{status} {path}\n".encode()
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _route(self, path):
        owner = self.server.owner
        if path == "/ok":
            return 200, []
        if path == "/missing":
            return 404, []
        if path == "/error":
            return 500, []
        if path == "/slow":
            time.sleep(SLOW)
            return 200, []
        if path == "/hang":
            time.sleep(HANG)
            return 200, []
        if path == "/loop":
            return 302, [("Location", "/loop")]
        if path == "/moved":
            return 301, [("Location", "/ok")]
        if path == "/no-head":
            return (405, []) if self.command == "HEAD" else (200, [])
        if path.startswith("/set/"):
            return owner.statuses.get(path, 200), []
        if path.startswith("/delay/"):
            time.sleep(int(path.split("/")[2]) / 1000)
            return owner.statuses.get(path, 200), []
        return 404, []

    def do_HEAD(self):  # noqa: N802
        self._answer(send_body=False)

    def do_GET(self):  # noqa: N802
        self._answer(send_body=True)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 64

    def handle_error(self, request, client_address):
        """Quiet: clients closing a /hang request after their timeout are expected here."""


class TestServer:
    """Serve on each of `ports` (one thread per port) until `stop()` or LIFETIME seconds."""

    __test__ = False  # not a test class

    def __init__(self, ports, *, tls_dir: Path | None = None):
        self.lock = threading.Lock()
        self.requests = Counter()
        self.statuses: dict[str, int] = {}
        self.in_flight = 0
        self.max_in_flight = 0
        self.servers = []
        for port in ports:
            try:
                server = _Server((HOST, port), _Handler)
            except OSError:  # the port is taken (another run of the suite): any free port on loopback
                server = _Server((HOST, 0), _Handler)
            server.owner = self
            if tls_dir is not None:
                server.socket = _tls_context(tls_dir).wrap_socket(server.socket, server_side=True)
            self.servers.append(server)
        self.ports = [server.server_address[1] for server in self.servers]
        self.threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in self.servers]
        self.timer = threading.Timer(LIFETIME, self.stop)
        self.timer.daemon = True

    def start(self):
        for thread in self.threads:
            thread.start()
        self.timer.start()
        return self

    def stop(self):
        self.timer.cancel()
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def url(self, path: str, *, port: int | None = None, scheme: str = "http") -> str:
        return f"{scheme}://{HOST}:{port or self.ports[0]}{path}"

    def reset_counts(self):
        with self.lock:
            self.requests.clear()
            self.max_in_flight = 0


def _tls_context(directory: Path):
    """A server context with a self-signed certificate made by openssl: no client trusts it."""
    import ssl

    cert, key = directory / "cert.pem", directory / "key.pem"
    if not cert.exists():
        openssl = shutil.which("openssl")
        assert openssl, "the TLS test needs the openssl command (Debian's openssl package)"
        subprocess.run(
            [
                openssl,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context

"""Time `check_links` over ~2,000 URLs against a local server with random delays, and watch its memory.

    .venv/bin/python benchmarks/linkcheck_2000.py [--urls 2019] [--seed 14]

What it builds: its own SQLite database in a temporary directory (the project's database is never touched),
migrated; a link source yielding `--urls` URLs, as many as 33 agencies × 43 OIT items (1,419) plus 600 evidence
links, owned by 33 agencies. The URLs point at a server this script starts in a subprocess on 127.0.0.1, ports
8182-8189 (eight "hosts", so the limit of 2 per host and the limit of 10 at once both bind). Each URL carries its
answer, drawn with the seed: a delay of 20-400 ms, and 3 % answer 404, 1 % answer 500, 1 % redirect once,
1 % refuse HEAD (405, then GET works) and 0.5 % never answer within the 10 s timeout. The server stops by itself
after --lifetime seconds.

It then runs the monitor twice as the daily job would (`linkcheck.services.run`): the first run checks every
link (one failure each for the broken ones), the second (`everything=True`) confirms them, flips them to broken
and e-mails the agencies (in-memory backend), and a third (`everything=True` again) shows memory settled.
With --trace, Python's own allocations are traced too (tracemalloc: the peak during the run, and what is left
after it). Per run: wall time, links checked, failures;
and the process's resident memory sampled every 0.2 s (before, peak during, after). Results:
benchmarks/README.md.
"""

import argparse
import gc
import http.server
import io
import os
import platform
import random
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
from contextlib import redirect_stdout
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"
PORTS = list(range(8182, 8190))
AGENCIES = 33
ITEMS = 43


# --- the server (run as a subprocess: `--serve`) --------------------------------------------------------------


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # noqa: A002
        pass

    def _answer(self, body: bool):
        query = parse_qs(urlsplit(self.path).query)
        time.sleep(int(query.get("d", ["0"])[0]) / 1000)
        kind = query.get("k", ["ok"])[0]
        status, headers = 200, []
        if kind == "404":
            status = 404
        elif kind == "500":
            status = 500
        elif kind == "hang":
            time.sleep(12)
        elif kind == "redirect":
            status, headers = 302, [("Location", self.path.replace("k=redirect", "k=ok"))]
        elif kind == "nohead" and self.command == "HEAD":
            status = 405
        payload = b"x" * 2048 if status == 200 else b""
        try:
            self.send_response(status)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if body:
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def do_HEAD(self):  # noqa: N802
        self._answer(False)

    def do_GET(self):  # noqa: N802
        self._answer(True)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass


def serve(lifetime: float) -> None:
    servers = [Server((HOST, port), Handler) for port in PORTS]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("ready", flush=True)
    time.sleep(lifetime)


# --- the benchmark -------------------------------------------------------------------------------------------


def make_urls(count: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    pairs = []
    for n in range(count):
        roll = rng.random()
        kind = (
            "404"
            if roll < 0.03
            else "500"
            if roll < 0.04
            else "redirect"
            if roll < 0.05
            else "nohead"
            if roll < 0.06
            else "hang"
            if roll < 0.065
            else "ok"
        )
        port = PORTS[n % len(PORTS)]
        agency = n % AGENCIES
        pairs.append(
            (
                f"http://{HOST}:{port}/agency{agency}/item{n}?d={rng.randint(20, 400)}&k={kind}",
                f"agency:A{agency}",
            )
        )
    return pairs


class RssSampler(threading.Thread):
    def __init__(self):
        super().__init__(daemon=True)
        self.peak = 0
        self.running = True

    @staticmethod
    def rss_mb() -> float:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20

    def run(self):
        while self.running:
            self.peak = max(self.peak, self.rss_mb())
            time.sleep(0.2)

    def stop(self) -> float:
        self.running = False
        self.join()
        return self.peak


def setup_django(workdir: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satun_ita.settings")
    # Production-like: DEBUG off (with DEBUG on Django keeps every SQL query in memory).
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def benchmark(count: int, seed: int, lifetime: float, trace: bool) -> None:
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--lifetime", str(lifetime)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout.readline().strip() == "ready"
        with tempfile.TemporaryDirectory(prefix="satun-linkcheck-bench-") as tmp:
            setup_django(Path(tmp))
            from linkcheck import registry, services
            from linkcheck.models import Flip, Link

            pairs = make_urls(count, seed)
            registry._sources[:] = [lambda: pairs]
            registry._notifiers[:] = []
            print(
                f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
            )
            print(f"load average before: {os.getloadavg()[0]:.2f}")
            print(f"{len(pairs)} URLs on {len(PORTS)} hosts, seed {seed}")
            runs = (("first run", False), ("second run", True), ("third run", True))
            for label, everything in runs:
                sampler = RssSampler()
                if trace:
                    gc.collect()
                    tracemalloc.start()
                before = sampler.rss_mb()
                sampler.start()
                started = time.monotonic()
                with redirect_stdout(io.StringIO()):
                    result = services.run(everything=everything)
                seconds = time.monotonic() - started
                peak = sampler.stop()
                after = RssSampler.rss_mb()
                traced = ""
                if trace:
                    gc.collect()
                    current, top = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    traced = f"; Python allocations peak {top / 2**20:.1f} MB, left {current / 2**20:.1f} MB"
                print(
                    f"{label}: {seconds:.1f} s, {result.checked} checked, {result.failed} failed, "
                    f"{len(result.broken)} newly broken; RSS before {before:.0f} MB, peak {peak:.0f} MB, "
                    f"after {after:.0f} MB{traced}"
                )
            print(
                f"links {Link.objects.count()}, broken {Link.objects.broken().count()}, flips {Flip.objects.count()}"
            )
            print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        server.terminate()
        server.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", type=int, default=AGENCIES * ITEMS + 600)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--lifetime", type=float, default=600.0, help="seconds the server stays up at most")
    parser.add_argument("--trace", action="store_true", help="also trace Python allocations (slower)")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.lifetime)
    else:
        benchmark(args.urls, args.seed, args.lifetime, args.trace)


if __name__ == "__main__":
    main()

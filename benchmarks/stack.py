"""Start the production set-up on 127.0.0.1 for the benchmarks: PostgreSQL database, moto S3 server, gunicorn app
servers and an nginx proxy with TLS — configured as the README's production section says. Everything listens on
loopback ports given by the caller and is stopped by `Stack.close()` (also on errors and Ctrl-C).

Used by benchmarks/two_servers.py, benchmarks/load.py and benchmarks/slow_clients.py.
"""

import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).with_name("gunicorn"))
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

# gunicorn as the README's systemd unit runs it: threads, so a slow response does not hold a whole process; a
# timeout that a slow request's work fits in (nginx has taken the slow client's bytes off gunicorn's hands).
GUNICORN_ARGS = [
    "--worker-class=gthread",
    "--workers=2",
    "--threads=4",
    "--timeout=60",
    "--graceful-timeout=30",
    "--keep-alive=5",
    "--max-requests=2000",
    "--max-requests-jitter=200",
]

NGINX_CONF = """
worker_processes 1;
error_log {run}/nginx-error.log warn;
pid {run}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log {run}/nginx-access.log;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include /etc/nginx/mime.types;

    upstream satun_ita {{
{upstreams}
        keepalive 16;
    }}
    server {{
        listen 127.0.0.1:{port} ssl;
        server_name 127.0.0.1 localhost;
        ssl_certificate {run}/cert.pem;
        ssl_certificate_key {run}/key.pem;
        ssl_protocols TLSv1.2 TLSv1.3;
{site}
    }}
}}
"""

# The part of the README's nginx site that matters here (same lines, same numbers).
NGINX_SITE = """
        client_max_body_size 12m;
        client_body_timeout 60s;
        client_header_timeout 30s;
        send_timeout 60s;
        proxy_request_buffering on;
        proxy_buffering on;
        client_body_buffer_size 1m;
        location /static/ {{
            alias {static}/;
            expires 30d;
            access_log off;
        }}
        location / {{
            proxy_pass http://satun_ita;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host:$server_port;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_connect_timeout 5s;
            proxy_read_timeout 60s;
            add_header X-Upstream $upstream_addr always;
        }}
"""


def wait_port(port: int, timeout: float = 30, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process for port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            probe.settimeout(0.5)
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def port_free(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


class Stack:
    def __init__(
        self, *, database: str, moto_port: int | None, app_ports: list[int], proxy_port: int, env=None
    ):
        for port in [p for p in [moto_port, *app_ports, proxy_port] if p]:
            if not port_free(port):
                raise RuntimeError(f"127.0.0.1:{port} is in use")
        self.database = database
        self.database_url = f"{PG}/{database}"
        self.moto_port, self.app_ports, self.proxy_port = moto_port, app_ports, proxy_port
        self.run = Path(tempfile.mkdtemp(prefix="satun-stack-"))
        self.processes: list[subprocess.Popen] = []
        self.bucket = "satun-evidence"
        self.base_url = f"https://127.0.0.1:{proxy_port}"
        self.certificate = str(
            self.run / "cert.pem"
        )  # the proxy's self-signed certificate: trust it, not all
        self.env = {
            **os.environ,
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "CSRF_TRUSTED_ORIGINS": self.base_url,
            "DATABASE_URL": self.database_url,
            "SECURE_HSTS_SECONDS": "0",
            "TRUST_X_FORWARDED_FOR": "1",
            "STATIC_ROOT": str(self.run / "static"),
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        if moto_port:
            self.env["STORAGE_URL"] = (
                f"s3://bench:bench-secret@{self.bucket}/satun?endpoint_url=http://127.0.0.1:{moto_port}"
                "&region_name=us-east-1&addressing_style=path"
            )
        self._old_handler = signal.signal(signal.SIGTERM, self._on_term)

    def _on_term(self, *_):
        self.close()
        sys.exit(1)

    def manage(self, *args, debug: bool = False, **kwargs):
        env = {**self.env, "DEBUG": "1"} if debug else self.env
        return subprocess.run(
            [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, timeout=600, **kwargs
        )

    def prepare_database(self) -> None:
        """A new database: migrations, the cache table, the demo plan, agencies and accounts (setup_demo)."""
        admin_url = f"{PG}/postgres"
        subprocess.run(
            ["psql", admin_url, "-qc", f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'], check=True
        )
        subprocess.run(["psql", admin_url, "-qc", f'CREATE DATABASE "{self.database}"'], check=True)
        self.manage("migrate", "--noinput", "-v0")
        self.manage("createcachetable")
        self.manage("setup_demo", debug=True, stdout=subprocess.DEVNULL)
        self.manage("collectstatic", "--noinput", "-v0")

    def start_moto(self) -> None:
        log = open(self.run / "moto.log", "w")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(
            [PYTHON, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.moto_port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        wait_port(self.moto_port, process=process)
        self.s3().create_bucket(Bucket=self.bucket)

    def s3(self):
        return boto3.client(
            "s3",
            endpoint_url=f"http://127.0.0.1:{self.moto_port}",
            region_name="us-east-1",
            aws_access_key_id="bench",
            aws_secret_access_key="bench-secret",
        )

    def bucket_keys(self) -> list[str]:
        listing = self.s3().list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def start_app(self, port: int, name: str, extra_args=()) -> None:
        media = self.run / f"media-{name}"
        env = {**self.env, "MEDIA_ROOT": str(media)}
        process = subprocess.Popen(
            [
                GUNICORN,
                "satun_ita.wsgi",
                f"--bind=127.0.0.1:{port}",
                *GUNICORN_ARGS,
                *extra_args,
                f"--access-logfile={self.run}/gunicorn-{name}-access.log",
                f"--error-logfile={self.run}/gunicorn-{name}-error.log",
            ],
            cwd=ROOT,
            env=env,
            stderr=open(self.run / f"app-{name}-stderr.log", "w"),  # noqa: SIM115 - closed with the process
        )
        self.processes.append(process)
        wait_port(port, process=process)

    def start_proxy(self) -> None:
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1,DNS:localhost",
                "-keyout",
                str(self.run / "key.pem"),
                "-out",
                str(self.run / "cert.pem"),
            ],
            check=True,
            capture_output=True,
        )
        upstreams = "\n".join(f"        server 127.0.0.1:{port};" for port in self.app_ports)
        site = NGINX_SITE.format(static=self.env["STATIC_ROOT"])
        conf = NGINX_CONF.format(run=self.run, port=self.proxy_port, upstreams=upstreams, site=site)
        (self.run / "nginx.conf").write_text(conf)
        if os.geteuid() == 0:
            (self.run / "nginx.conf").write_text("user root;\n" + conf)
        process = subprocess.Popen(
            ["nginx", "-p", str(self.run), "-c", str(self.run / "nginx.conf"), "-g", "daemon off;"],
            stderr=open(self.run / "nginx-stderr.log", "w"),  # noqa: SIM115
        )
        self.processes.append(process)
        wait_port(self.proxy_port, process=process)

    def app_cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the gunicorn processes and nginx (not PostgreSQL, not moto)."""
        import psutil

        total = 0.0
        for process in self.processes:
            try:
                parent = psutil.Process(process.pid)
                family = [parent, *parent.children(recursive=True)]
            except psutil.NoSuchProcess:
                continue
            if not any("gunicorn" in " ".join(p.cmdline()) or "nginx" in p.name() for p in family[:1]):
                continue
            for member in family:
                try:
                    times = member.cpu_times()
                    total += times.user + times.system
                except psutil.NoSuchProcess:
                    pass
        return total

    def media_dirs_empty(self) -> bool:
        return not any(path.is_file() for path in self.run.glob("media-*/**/*"))

    def close(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        self.processes = []
        if os.environ.get("KEEP_STACK_LOGS") != "1":
            shutil.rmtree(self.run, ignore_errors=True)
        signal.signal(signal.SIGTERM, self._old_handler or signal.SIG_DFL)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

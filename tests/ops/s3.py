"""A local S3 server for the tests: moto in server mode on 127.0.0.1, on a free port the system picks (or on
MOTO_PORT when it is set). Two suites running at once each get their own port; a server that cannot start (the
port is taken) fails the session at once instead of hanging."""

import os
import threading
import uuid

import boto3
import pytest

from satun_ita import storage

CREDENTIALS = {"access_key": "testing", "secret_key": "testing-secret"}
START_TIMEOUT = 10  # seconds


def _port() -> int:
    """MOTO_PORT if set, else 0: the system picks a free port when the server binds."""
    value = os.environ.get("MOTO_PORT", "")
    return int(value) if value else 0


class ServerDidNotStart(RuntimeError):
    pass


def start(port: int, timeout: float = START_TIMEOUT):
    """(server, endpoint URL) of a moto S3 server started on 127.0.0.1:`port` (0: a free port).

    moto's start() waits, without a limit, for its thread to bind; when binding fails (the port is in use) that
    thread dies and start() would wait forever. So it is waited for here, for `timeout` seconds at most."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    starter = threading.Thread(target=server.start, daemon=True, name="moto-start")
    starter.start()
    starter.join(timeout)
    if starter.is_alive():
        raise ServerDidNotStart(
            f"the moto S3 server did not start on 127.0.0.1:{port or '(a free port)'} within {timeout} s "
            "(is MOTO_PORT taken by another test run?)"
        )
    host, bound = server.get_host_and_port()
    return server, f"http://{host}:{bound}"


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of a moto S3 server running for the whole test session."""
    pytest.importorskip("moto.server", reason="moto is a development requirement")
    try:
        server, url = start(_port())
    except ServerDidNotStart as error:
        pytest.fail(str(error), pytrace=False)
    yield url
    server.stop()


def client(endpoint_url):
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )


@pytest.fixture
def bucket(s3_server, settings):
    """A new, empty bucket that the portal stores evidence in for this test; its name."""
    name = f"evidence-{uuid.uuid4().hex[:12]}"
    client(s3_server).create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": storage.from_url(
            f"s3://{CREDENTIALS['access_key']}:{CREDENTIALS['secret_key']}@{name}/satun"
            f"?endpoint_url={s3_server}&region_name=us-east-1&addressing_style=path"
        ),
    }
    return name


def keys(endpoint_url, bucket_name) -> list[str]:
    listing = client(endpoint_url).list_objects_v2(Bucket=bucket_name)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def body(endpoint_url, bucket_name, key) -> bytes:
    return client(endpoint_url).get_object(Bucket=bucket_name, Key=key)["Body"].read()

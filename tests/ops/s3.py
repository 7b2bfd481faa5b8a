"""A local S3 server for the tests: moto in server mode, on 127.0.0.1 (port MOTO_PORT, default 8170)."""

import os
import uuid

import boto3
import pytest

from satun_ita import storage

MOTO_PORT = int(os.environ.get("MOTO_PORT", "8170"))
CREDENTIALS = {"access_key": "testing", "secret_key": "testing-secret"}


@pytest.fixture(scope="session")
def s3_server():
    """The endpoint URL of a moto S3 server running for the whole test session."""
    server_module = pytest.importorskip("moto.server", reason="moto is a development requirement")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=MOTO_PORT, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{MOTO_PORT}"
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

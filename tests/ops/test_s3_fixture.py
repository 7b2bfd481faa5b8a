"""The moto S3 fixture picks a free port, and fails fast when its port is taken instead of hanging."""

import socket
import time

import pytest

from tests.ops import s3

pytest.importorskip("moto.server", reason="moto is a development requirement")


def test_without_moto_port_the_system_picks_a_free_port(monkeypatch):
    monkeypatch.delenv("MOTO_PORT", raising=False)
    assert s3._port() == 0
    first, first_url = s3.start(0)
    second, second_url = s3.start(0)
    try:
        assert first_url != second_url
        s3.client(first_url).create_bucket(Bucket="one")
        s3.client(second_url).create_bucket(Bucket="two")
    finally:
        first.stop()
        second.stop()


def test_moto_port_is_used_when_set(monkeypatch):
    monkeypatch.setenv("MOTO_PORT", "8541")
    assert s3._port() == 8541


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_taken_port_fails_fast_instead_of_hanging():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(s3.ServerDidNotStart, match=str(port)):
            s3.start(port, timeout=1)
        assert time.monotonic() - started < 5

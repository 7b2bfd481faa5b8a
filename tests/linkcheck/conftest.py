import pytest

from tests.linkcheck.servers import TestServer

# Ports 8180-8189: 8180 plain HTTP, 8181 HTTPS with an untrusted certificate, 8182 closed, 8183-8188 the
# concurrency test's six hosts. A port already taken (two runs of the suite at once) falls back to a free one.
HTTP_PORT = 8180
TLS_PORT = 8181
CLOSED_PORT = 8182
MANY_PORTS = range(8183, 8189)


@pytest.fixture(scope="session")
def web():
    server = TestServer([HTTP_PORT]).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def tls_web(tmp_path_factory):
    server = TestServer([TLS_PORT], tls_dir=tmp_path_factory.mktemp("tls")).start()
    yield server
    server.stop()


@pytest.fixture
def many_hosts():
    server = TestServer(MANY_PORTS).start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _quick_checks(settings, web):
    """Checks time out after 1 s here (the /hang page answers after 3 s, /slow after 0.4 s)."""
    settings.LINKCHECK_TIMEOUT = 1.0
    web.statuses.clear()
    web.reset_counts()

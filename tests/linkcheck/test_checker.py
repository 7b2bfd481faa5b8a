"""linkcheck.checker against real servers on 127.0.0.1 (see servers.py): what counts as working or broken."""

from linkcheck.checker import check_urls, host_key
from tests.linkcheck.conftest import CLOSED_PORT


def check(url, **options):
    options.setdefault("timeout", 1.0)
    (result,) = check_urls([url], **options)
    return result


def test_a_page_answering_200_works(web):
    result = check(web.url("/ok"))
    assert (result.ok, result.status_code, result.error) == (True, 200, "")


def test_a_working_page_is_asked_with_head_only(web):
    check(web.url("/ok"))
    assert web.requests == {("HEAD", "/ok"): 1}


def test_a_404_is_broken_after_asking_with_get_too(web):
    result = check(web.url("/missing"))
    assert (result.ok, result.status_code, result.error) == (False, 404, "http")
    assert web.requests == {("HEAD", "/missing"): 1, ("GET", "/missing"): 1}


def test_a_500_is_broken(web):
    result = check(web.url("/error"))
    assert (result.ok, result.status_code, result.error) == (False, 500, "http")


def test_a_server_refusing_head_is_asked_with_get(web):
    result = check(web.url("/no-head"))
    assert (result.ok, result.status_code) == (True, 200)


def test_a_page_not_answering_in_time_times_out(web):
    result = check(web.url("/hang"), timeout=0.5)
    assert (result.ok, result.error) == (False, "timeout")
    assert result.seconds < 1.5


def test_a_timeout_is_not_asked_again_with_get(web):
    check(web.url("/hang"), timeout=0.5)
    assert web.requests == {("HEAD", "/hang"): 1}


def test_a_slow_page_within_the_timeout_works(web):
    result = check(web.url("/slow"))
    assert (result.ok, result.status_code) == (True, 200)
    assert result.seconds >= 0.4


def test_a_redirect_is_followed(web):
    result = check(web.url("/moved"))
    assert (result.ok, result.status_code) == (True, 200)


def test_a_redirect_loop_is_broken(web):
    result = check(web.url("/loop"))
    assert (result.ok, result.error) == (False, "redirects")


def test_at_most_five_redirects_are_followed(web):
    check(web.url("/loop"))
    assert web.requests[("HEAD", "/loop")] == 6  # the first request and five redirects


def test_an_untrusted_certificate_is_a_tls_error(tls_web):
    result = check(tls_web.url("/ok", scheme="https"))
    assert (result.ok, result.error) == (False, "tls")


def test_a_closed_port_cannot_connect():
    result = check(f"http://127.0.0.1:{CLOSED_PORT}/ok")
    assert (result.ok, result.error) == (False, "connect")


def test_an_address_that_is_not_http_is_never_requested(web):
    result = check("ftp://127.0.0.1/file")
    assert (result.ok, result.error) == (False, "invalid")
    assert web.requests == {}


def test_every_url_gets_one_result(web):
    urls = [web.url(p) for p in ("/ok", "/missing", "/moved", "/error", "/no-head")]
    results = list(check_urls(urls, timeout=1.0))
    assert sorted(r.url for r in results) == sorted(urls)


def test_at_most_two_requests_go_to_one_host_at_once(web):
    list(check_urls([web.url(f"/delay/150?n={i}") for i in range(8)], timeout=2.0))
    assert web.max_in_flight == 2


def test_at_most_ten_requests_are_in_flight_at_once(many_hosts):
    # Six hosts (ports) with two requests each could make twelve; the global limit keeps it at ten.
    urls = [many_hosts.url(f"/delay/300?n={i}", port=port) for port in many_hosts.ports for i in range(4)]
    list(check_urls(urls, timeout=2.0))
    assert 2 < many_hosts.max_in_flight <= 10


def test_one_host_is_a_host_name_and_port():
    assert host_key("https://Example.go.th/a") == "example.go.th:443"
    assert host_key("http://example.go.th:8080/a") == "example.go.th:8080"

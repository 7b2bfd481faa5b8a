"""Every public page and file that can carry a report's text, fetched anonymously and joined."""

from django.test import Client

YEAR = 2565


def public_surfaces(code="AGA", search="ลับ"):
    return [
        f"/public/{YEAR}/?quarter=1",
        f"/public/{YEAR}/indicator/1/?quarter=1",
        f"/public/{YEAR}/indicator/9/?quarter=1",
        f"/public/{YEAR}/search/?q={search}",
        f"/public/{YEAR}/agency/{code}/",
        f"/public/{YEAR}/agency/{code}/r6/",
        f"/public/{YEAR}/agency/{code}/r12/",
        f"/open-data/{YEAR}/results.csv",
        f"/open-data/{YEAR}/results.json",
    ]


def fetch(path, client=None):
    response = (client or Client()).get(path)
    assert response.status_code == 200, (path, response.status_code)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return body.decode("utf-8")


def everything_public(code="AGA", search="ลับ") -> str:
    return "\n".join(fetch(path) for path in public_surfaces(code, search))

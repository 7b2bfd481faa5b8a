"""The cache is shared by every app server: the database by default, Redis or one process's memory when asked."""

import pytest

from tests.test_settings import run

SHOW = (
    "import django; django.setup(); from django.conf import settings; "
    "c = settings.CACHES['default']; print(c['BACKEND'], c.get('LOCATION', ''))"
)


@pytest.mark.parametrize(
    "cache_url, expected",
    [
        (None, "django.core.cache.backends.db.DatabaseCache django_cache"),
        ("redis://cache:6379/0", "django.core.cache.backends.redis.RedisCache redis://cache:6379/0"),
        ("locmem://", "django.core.cache.backends.locmem.LocMemCache "),
    ],
)
def test_cache_url_chooses_the_cache(cache_url, expected):
    env = {"DEBUG": "1"} | ({"CACHE_URL": cache_url} if cache_url else {})
    result = run(["-c", SHOW], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected.strip()


def test_an_unknown_cache_url_is_refused():
    result = run(["-c", SHOW], DEBUG="1", CACHE_URL="memcached://x")
    assert result.returncode != 0
    assert "CACHE_URL must be" in result.stderr


@pytest.mark.django_db
def test_the_database_cache_works_in_tests(settings):
    from django.core.cache import cache

    cache.set("probe", "ค่า", 30)
    assert cache.get("probe") == "ค่า"

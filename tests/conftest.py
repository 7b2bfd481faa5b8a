"""Settings for every test, and the one set of personas the tests share.

- `agency` (AGA) and `other_agency` (AGB);
- `alice`, a reporter of agency A, and `carol`, a second one (for concurrent edits);
- `bob`, a reporter of agency B (another agency: he gets a 404 for A's reports);
- `rita`, a provincial reviewer; `admin_user`, a superuser;
- the anonymous client (`client`, not logged in).
Tests that need a persona with particular data (an e-mail address, a password) build it where it is used.
"""

import pytest

from tests.factories import AgencyFactory, make_admin, make_reporter, make_reviewer

# Fixtures of a local S3 server (moto) for the object-storage tests: s3_server, bucket.
pytest_plugins = ["tests.ops.s3"]


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.LANGUAGE_CODE = "th"


# --- the personas ----------------------------------------------------------------------------------------


@pytest.fixture
def agency():
    return AgencyFactory(code="AGA", name_th="สำนักงานเอ จังหวัดสตูล")


@pytest.fixture
def other_agency():
    return AgencyFactory(code="AGB", name_th="สำนักงานบี จังหวัดสตูล")


@pytest.fixture
def alice(agency):
    return make_reporter(agency, username="alice", first_name="อลิส", last_name="ใจดี")


@pytest.fixture
def carol(agency):
    """A second reporter of agency A, for concurrent edits."""
    return make_reporter(agency, username="carol", first_name="แครอล", last_name="ขยัน")


@pytest.fixture
def bob(other_agency):
    return make_reporter(other_agency, username="bob")


@pytest.fixture
def rita():
    return make_reviewer(username="rita")


@pytest.fixture
def admin_user():
    return make_admin(username="root")

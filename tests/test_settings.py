"""Settings from the environment: refuse to run in production without a secret, and pass `check --deploy`.

Each case runs Django in a subprocess, because settings are read once per process.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def run(args, **env):
    """Run python with `args` in the project, with a clean environment plus `env`."""
    dropped = {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    base["DJANGO_SETTINGS_MODULE"] = "satun_ita.settings"
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


def production_env(**extra):
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    key = "".join(secrets.choice(alphabet) for _ in range(50))
    return {"DEBUG": "0", "SECRET_KEY": key, "ALLOWED_HOSTS": "example.org", **extra}


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run(["-c", SETUP], DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY" in result.stderr


@pytest.mark.parametrize("command", ["migrate", "makemigrations", "check"])
def test_manage_py_names_the_missing_secret_key(command):
    """Not Django's unrelated "AppRegistryNotReady: Models aren't loaded yet", which it raised before."""
    result = run(["manage.py", command], DEBUG="0")
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Configuration error: SECRET_KEY must be set when DEBUG is off (set DEBUG=1 for local development)."
    )


def test_debug_is_off_unless_asked_for():
    result = run(["-c", SETUP], SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_starts_without_secret_key_in_debug():
    result = run(["-c", SETUP], DEBUG="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_rejects_a_debug_value_that_is_not_a_boolean():
    result = run(["-c", SETUP], DEBUG="maybe", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_deploy_check_passes_with_production_values():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_static_files_collect_with_hashed_names(tmp_path):
    """The manifest storage follows every url() and source map the vendored CSS/JS name; none may be missing."""
    result = run(["manage.py", "collectstatic", "--noinput"], **production_env(STATIC_ROOT=str(tmp_path)))
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list((tmp_path / "vendor/sarabun/files").glob("sarabun-thai-400-normal.*.woff2"))


@pytest.mark.parametrize("setting", ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT"])
def test_production_cookies_and_redirects_are_secure(setting):
    result = run(["-c", f"{SETUP[: SETUP.index('print')]}print(settings.{setting})"], **production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


SECURITY = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
)


def test_production_redirects_to_https_with_secure_cookies_by_default():
    result = run(["-c", SECURITY], **production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True", "True", "31536000"]


def test_plain_http_on_loopback_turns_the_https_redirect_and_secure_cookies_off():
    result = run(["-c", SECURITY], **production_env(ALLOW_PLAIN_HTTP="1", ALLOWED_HOSTS="127.0.0.1"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "False", "0"]


def test_plain_http_is_refused_for_a_host_that_is_not_loopback():
    result = run(
        ["-c", SECURITY], **production_env(ALLOW_PLAIN_HTTP="1", ALLOWED_HOSTS="127.0.0.1,example.org")
    )
    assert result.returncode != 0
    assert "ALLOW_PLAIN_HTTP is for loopback only" in result.stderr

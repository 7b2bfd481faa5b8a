"""Loaded as a plugin (`-p tests.pytest_env` in pyproject.toml) before pytest-django sets Django up."""

import os

# Local test runs need no SECRET_KEY; production settings are tested explicitly (tests/test_settings.py).
os.environ.setdefault("DEBUG", "1")

"""Root conftest: loaded before Django is set up, so the test settings can be chosen here."""

import os

# Local test runs need no SECRET_KEY; production settings are tested explicitly (tests/test_settings.py).
os.environ.setdefault("DEBUG", "1")

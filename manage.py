#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys


def main():
    """Run administrative tasks."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satun_ita.settings")
    try:
        from django.core.management import execute_from_command_line
    except ImportError as exc:
        raise ImportError(
            "Couldn't import Django. Are you sure it's installed and "
            "available on your PYTHONPATH environment variable? Did you "
            "forget to activate a virtual environment?"
        ) from exc
    # Read the settings first, so a configuration error (e.g. no SECRET_KEY with DEBUG off) is reported as
    # itself. Django would otherwise set it aside and, depending on the command, fail later with an unrelated
    # "AppRegistryNotReady: Models aren't loaded yet".
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - the access loads the settings module
    except ImproperlyConfigured as error:
        sys.exit(f"Configuration error: {error}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""Where uploaded evidence is stored: the local disk (MEDIA_ROOT) by default, S3-compatible object storage when
configured, so that several app servers serve one set of files.

Object storage is chosen by either
- `STORAGE_URL=s3://BUCKET[/PREFIX]?endpoint_url=…&region_name=…&addressing_style=path` (access key and secret
  in the URL's user part, percent-encoded, or in `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`), or
- `AWS_STORAGE_BUCKET_NAME` with `AWS_S3_ENDPOINT_URL`, `AWS_S3_REGION_NAME`, `AWS_LOCATION` (a key prefix),
  `AWS_S3_ADDRESSING_STYLE` and the two key variables.

Objects stay private: no ACL is set, and files are read only through the permission-checked download view, which
streams them from the bucket; names are random (reports.models.evidence_upload_to) and never overwritten.
"""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_BACKEND = "django.core.files.storage.FileSystemStorage"

# What a STORAGE_URL's query may set, as django-storages names the options.
_URL_OPTIONS = {"endpoint_url", "region_name", "addressing_style", "signature_version"}

# The same for every S3 configuration: private objects, no overwriting, s3v4 signatures (every S3-compatible
# server speaks them), and a download spooled in memory up to 2.5 MB, beyond that in a temporary file.
_S3_FIXED = {
    "default_acl": None,
    "file_overwrite": False,
    "querystring_auth": True,
    "signature_version": "s3v4",
    "max_memory_size": 2_621_440,
}


def _s3(options: dict) -> dict:
    from botocore.config import Config  # only when object storage is configured

    # Give up on an unreachable endpoint in seconds (botocore waits a minute by default), so a request and
    # /healthz fail fast instead of holding a worker.
    timeouts = Config(connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"})
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {**_S3_FIXED, "client_config": timeouts, **{k: v for k, v in options.items() if v}},
    }


def from_url(url: str) -> dict:
    """The STORAGES["default"] entry a STORAGE_URL stands for."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"STORAGE_URL must start with s3:// (the local disk needs no STORAGE_URL: MEDIA_ROOT), got {url!r}."
        )
    if not parts.hostname:
        raise ImproperlyConfigured(f"STORAGE_URL {url!r} names no bucket (s3://BUCKET/prefix).")
    query = parse_qs(parts.query, strict_parsing=False)
    unknown = set(query) - _URL_OPTIONS
    if unknown:
        raise ImproperlyConfigured(
            f"STORAGE_URL: unknown option(s) {', '.join(sorted(unknown))}; known: {', '.join(sorted(_URL_OPTIONS))}."
        )
    options = {name: values[-1] for name, values in query.items()}
    options["bucket_name"] = parts.hostname  # urlsplit lower-cases it; bucket names are lower-case anyway
    options["location"] = parts.path.strip("/")
    if parts.username:
        options["access_key"] = unquote(parts.username)
        options["secret_key"] = unquote(parts.password or "")
    return _s3(options)


def from_environment(environ) -> dict:
    """STORAGES["default"]: STORAGE_URL, else the AWS_* variables, else the local disk (settings.MEDIA_ROOT)."""
    url = environ.get("STORAGE_URL", "").strip()
    if url:
        return from_url(url)
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if bucket:
        return _s3(
            {
                "bucket_name": bucket,
                "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL", ""),
                "region_name": environ.get("AWS_S3_REGION_NAME", ""),
                "location": environ.get("AWS_LOCATION", "").strip("/"),
                "addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE", ""),
            }
        )
    return {"BACKEND": FILE_BACKEND}


def describe(entry: dict) -> str:
    """A line for logs and /healthz: which storage, without credentials."""
    options = entry.get("OPTIONS", {})
    if entry["BACKEND"] == S3_BACKEND:
        where = options["bucket_name"] + (f"/{options['location']}" if options.get("location") else "")
        return f"s3://{where}" + (f" at {options['endpoint_url']}" if options.get("endpoint_url") else "")
    return "local disk (MEDIA_ROOT)"

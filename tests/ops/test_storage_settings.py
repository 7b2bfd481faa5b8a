"""Which storage the environment chooses (satun_ita/storage.py): local disk by default, S3 when configured."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from satun_ita import storage


def test_without_configuration_evidence_stays_on_the_local_disk():
    assert storage.from_environment({}) == {"BACKEND": storage.FILE_BACKEND}


def test_a_storage_url_names_bucket_prefix_endpoint_and_keys():
    entry = storage.from_environment(
        {
            "STORAGE_URL": "s3://AKIA%2FX:s%3Acret%40@satun-evidence/ita/prod"
            "?endpoint_url=https://s3.example.go.th&region_name=ap-southeast-1&addressing_style=path"
        }
    )
    assert entry["BACKEND"] == storage.S3_BACKEND
    options = entry["OPTIONS"]
    assert (options["bucket_name"], options["location"]) == ("satun-evidence", "ita/prod")
    assert (options["access_key"], options["secret_key"]) == ("AKIA/X", "s:cret@")
    assert options["endpoint_url"] == "https://s3.example.go.th"
    assert (options["region_name"], options["addressing_style"]) == ("ap-southeast-1", "path")


def test_stored_objects_are_private_and_never_overwritten():
    options = storage.from_url("s3://bucket")["OPTIONS"]
    assert options["default_acl"] is None
    assert options["file_overwrite"] is False
    assert options["client_config"].connect_timeout == 5


def test_without_keys_in_the_url_boto3_reads_them_from_the_environment():
    options = storage.from_url("s3://bucket")["OPTIONS"]
    assert "access_key" not in options and "secret_key" not in options


def test_the_aws_variables_choose_s3_too():
    entry = storage.from_environment(
        {
            "AWS_STORAGE_BUCKET_NAME": "satun-evidence",
            "AWS_S3_ENDPOINT_URL": "http://minio:9000",
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_LOCATION": "/ita/",
        }
    )
    assert entry["BACKEND"] == storage.S3_BACKEND
    assert entry["OPTIONS"]["bucket_name"] == "satun-evidence"
    assert entry["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    assert entry["OPTIONS"]["location"] == "ita"


def test_storage_url_wins_over_the_aws_variables():
    entry = storage.from_environment({"STORAGE_URL": "s3://from-url", "AWS_STORAGE_BUCKET_NAME": "from-aws"})
    assert entry["OPTIONS"]["bucket_name"] == "from-url"


@pytest.mark.parametrize(
    "url, message",
    [
        ("file:///srv/media", "must start with s3://"),
        ("s3:///prefix", "names no bucket"),
        ("s3://bucket?endpoint=http://x", "unknown option"),
    ],
)
def test_a_bad_storage_url_is_refused_with_its_reason(url, message):
    with pytest.raises(ImproperlyConfigured, match=message):
        storage.from_url(url)


def test_describe_names_the_bucket_without_credentials():
    entry = storage.from_url("s3://key:secret@bucket/p?endpoint_url=http://127.0.0.1:9000")
    assert storage.describe(entry) == "s3://bucket/p at http://127.0.0.1:9000"
    assert storage.describe({"BACKEND": storage.FILE_BACKEND}) == "local disk (MEDIA_ROOT)"

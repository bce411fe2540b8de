"""Where private attachments live: a folder (the default) or an S3-compatible store such as MinIO
(PRIVATE_STORAGE=s3), chosen by config.settings.scale_out.private_storage. No network: building a storage does
not connect."""

import environ
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import StorageHandler

from config.settings.scale_out import private_storage

S3_SITE = {
    "PRIVATE_STORAGE": "s3",
    "AWS_STORAGE_BUCKET_NAME": "portal-private",
    "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
    "AWS_S3_ACCESS_KEY_ID": "portal",
    "AWS_S3_SECRET_ACCESS_KEY": "minio-secret",
}


def _storage(monkeypatch, variables: dict):
    for name in ["PRIVATE_STORAGE", *S3_SITE]:
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    config = private_storage(environ.Env(), "/srv/portal/private")
    return config, StorageHandler({"private": config})["private"]


def test_by_default_attachments_are_files_in_private_media_root(monkeypatch):
    from core.storage import PrivateFileSystemStorage

    _config, storage = _storage(monkeypatch, {})
    assert type(storage) is PrivateFileSystemStorage
    assert storage.location == "/srv/portal/private"


def test_private_storage_s3_keeps_attachments_in_the_bucket_without_any_url(monkeypatch):
    from core.storage_s3 import PrivateS3Storage

    config, storage = _storage(monkeypatch, S3_SITE)
    assert config["BACKEND"] == "core.storage_s3.PrivateS3Storage"
    assert type(storage) is PrivateS3Storage
    assert storage.bucket_name == "portal-private"
    assert storage.endpoint_url == "http://127.0.0.1:9000"
    assert (storage.access_key, storage.secret_key) == ("portal", "minio-secret")
    assert storage.addressing_style == "path"  # MinIO without a DNS name per bucket
    assert storage.file_overwrite is False  # two uploads called 照片.jpg stay two files
    assert storage.location == "private"
    with pytest.raises(ValueError):  # no bucket address is ever handed out: the views stream the file
        storage.url("complaints/1/a.pdf")


def test_a_missing_bucket_or_an_unknown_kind_stops_the_start(monkeypatch):
    with pytest.raises(ImproperlyConfigured):
        _storage(monkeypatch, {"PRIVATE_STORAGE": "s3"})
    with pytest.raises(ImproperlyConfigured, match="filesystem"):
        _storage(monkeypatch, {"PRIVATE_STORAGE": "nfs"})

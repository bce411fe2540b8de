"""What a site of more than one machine sets (README, "Scaling out"): the reports' replica and the private
files' shared storage, each built from the environment by one function that base.py calls."""

import environ
from django.core.exceptions import ImproperlyConfigured


def replica_database(url: str, primary: dict) -> dict:
    """The ``replica`` alias for REPLICA_DATABASE_URL: connected like the primary (core.db_router)."""
    return {
        **environ.Env.db_url_config(url),
        "ATOMIC_REQUESTS": False,
        "CONN_MAX_AGE": primary["CONN_MAX_AGE"],
        "CONN_HEALTH_CHECKS": True,
    }


def private_storage(env: environ.Env, location) -> dict:
    """The private storage's entry of STORAGES, chosen by PRIVATE_STORAGE: ``filesystem`` (the default, a
    folder: PRIVATE_MEDIA_ROOT) or ``s3``, an S3-compatible object store such as MinIO that every web machine
    and worker reaches (core.storage_s3). Either way the files have no URL; views stream them after checking
    access."""
    kind = env("PRIVATE_STORAGE", default="filesystem")
    if kind == "filesystem":
        return {"BACKEND": "core.storage.PrivateFileSystemStorage", "OPTIONS": {"location": location}}
    if kind != "s3":
        raise ImproperlyConfigured(f"PRIVATE_STORAGE 只能是 filesystem 或 s3，而不是 {kind!r}")
    return {
        "BACKEND": "core.storage_s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),  # required
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),  # e.g. https://minio.example.gov.cn:9000
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            # Unset: boto3's own chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or an instance role).
            "access_key": env("AWS_S3_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_S3_SECRET_ACCESS_KEY", default=None),
            "location": env("AWS_S3_PREFIX", default="private"),  # the key prefix inside the bucket
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default="path"),  # MinIO: path-style addresses
            "signature_version": "s3v4",
            "default_acl": None,  # the bucket's own policy: private
            "file_overwrite": False,  # two attachments of the same name are two files, as on disk
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }

"""Private files on an S3-compatible object store (MinIO in-house, or any S3 service), for sites with more
than one web machine: ``PRIVATE_STORAGE=s3`` (config/settings/scale_out.py, ``private_storage``).

Like the file-system storage, it has no URL: attachments are read through the storage and streamed by the
views that check access (core.uploads.attachment_response), never handed out as a bucket address. Loaded
only when selected, so a site on the file system never imports boto3.
"""

from storages.backends.s3 import S3Storage

from .storage import NoUrlMixin


class PrivateS3Storage(NoUrlMixin, S3Storage):
    pass

"""Storage for private files (complaint attachments, rectification evidence): no URL exists, so a
template or serializer cannot link to a file by mistake; views stream them after checking access."""

from django.core.files.storage import FileSystemStorage, InMemoryStorage


class NoUrlMixin:
    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


class PrivateFileSystemStorage(NoUrlMixin, FileSystemStorage):
    pass


class PrivateInMemoryStorage(NoUrlMixin, InMemoryStorage):
    """For the tests."""

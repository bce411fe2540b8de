"""Attachments: what a file really is (by its bytes, never its name), size and count limits, and the
private storage they live in. Files are served only by views that check who is asking."""

from __future__ import annotations

import datetime
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileKind:
    extension: str
    content_type: str


JPEG = FileKind("jpg", "image/jpeg")
PNG = FileKind("png", "image/png")
GIF = FileKind("gif", "image/gif")
WEBP = FileKind("webp", "image/webp")
HEIC = FileKind("heic", "image/heic")
PDF = FileKind("pdf", "application/pdf")
OFD = FileKind("ofd", "application/ofd")
DOCX = FileKind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
XLSX = FileKind("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
PPTX = FileKind("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation")
OLE = FileKind("doc", "application/msword")  # .doc/.xls/.ppt and WPS files share this container

ALL_KINDS = (JPEG, PNG, GIF, WEBP, HEIC, PDF, OFD, DOCX, XLSX, PPTX, OLE)

OLE_EXTENSIONS = {"doc", "xls", "ppt", "wps", "et", "dps"}


def sniff(head: bytes, file) -> FileKind | None:
    """The allowed kind this content is, or None. ``head`` is the first bytes; ``file`` is seekable."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return HEIC
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(file)
    return None


def _sniff_zip(file) -> FileKind | None:
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "OFD.xml" in names:
        return OFD
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX)):
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


@dataclass
class CheckedFile:
    upload: UploadedFile
    kind: FileKind

    @property
    def original_name(self) -> str:
        return (self.upload.name or "").rsplit("/", 1)[-1][:200]

    def storage_name(self, folder: str) -> str:
        extension = self.kind.extension
        if self.kind is OLE:
            given = self.original_name.rsplit(".", 1)[-1].lower()
            extension = given if given in OLE_EXTENSIONS else "doc"
        return f"{folder}/{uuid.uuid4().hex}.{extension}"


def check_uploads(files: list[UploadedFile]) -> list[CheckedFile]:
    """Validate every file; raise one ValidationError naming each bad file and why."""
    limit_mb = settings.PORTAL_UPLOAD_MAX_MB
    max_files = settings.PORTAL_UPLOAD_MAX_FILES
    errors = []
    if len(files) > max_files:
        errors.append(_("At most %(count)d files can be attached.") % {"count": max_files})
    checked = []
    for upload in files:
        name = (upload.name or "").rsplit("/", 1)[-1]
        if upload.size > limit_mb * 1024 * 1024:
            errors.append(_("“%(name)s” is larger than %(limit)d MB.") % {"name": name, "limit": limit_mb})
            continue
        if upload.size == 0:
            errors.append(_("“%(name)s” is empty.") % {"name": name})
            continue
        upload.seek(0)
        head = upload.read(16)
        kind = sniff(head, upload)
        upload.seek(0)
        if kind is None:
            errors.append(
                _(
                    "“%(name)s” is not an allowed file type. Attach pictures (JPG, PNG, GIF, WebP, HEIC), "
                    "PDF or OFD files, or Office/WPS documents."
                )
                % {"name": name}
            )
            continue
        checked.append(CheckedFile(upload, kind))
    if errors:
        raise ValidationError(errors)
    return checked


#: Longest stem a served file keeps (characters): long enough to recognise, short enough for any disk.
DOWNLOAD_STEM_MAX = 80
_UNSAFE_IN_NAMES = set('/\\:*?"<>|')


def download_name(original_name: str, stored_name: str) -> str:
    """The name a served file is saved under: the uploader's stem, made safe (no path separators,
    quotes, control characters such as CR/LF or characters Windows refuses; at most
    ``DOWNLOAD_STEM_MAX`` characters), and the extension of what the file *is* — the one it was stored
    under after checking its bytes — so a PDF uploaded as ``poly.html`` is saved as ``poly.pdf``."""
    name = (original_name or "").rsplit("/", 1)[-1]
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = "".join("_" if c in _UNSAFE_IN_NAMES or unicodedata.category(c).startswith("C") else c for c in stem)
    stem = stem.strip(" .")[:DOWNLOAD_STEM_MAX].strip(" .") or _("attachment")
    extension = stored_name.rsplit("/", 1)[-1].rsplit(".", 1)[-1] if "." in stored_name else ""
    return f"{stem}.{extension}" if extension else stem


def attachment_response(item) -> FileResponse:
    """Stream a private file (a ``core.models.PrivateAttachment``) to a reader the calling view has
    already checked: saved as ``download_name``, typed by its checked content type, always as an
    attachment (never rendered by the browser), never cached."""
    response = FileResponse(
        item.file.open("rb"),
        as_attachment=True,
        filename=download_name(item.original_name, item.file.name),
        content_type=item.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


def private_storage():
    """Where attachments are kept: never under a public URL."""
    return storages["private"]


def stale_files_remove(*, now: datetime.datetime | None = None) -> dict:
    """Delete the large exports and import jobs (with the files they keep) older than EXPORT_KEEP_DAYS
    days and the uploads that have waited for an import confirmation more than a day. Returns how many
    of each went."""
    from .models import ExportFile, ImportJob

    now = now or timezone.now()
    kept_since = now - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    exports = _remove_with_files(ExportFile.objects.filter(uploaded_at__lt=kept_since))
    import_jobs = _remove_with_files(ImportJob.objects.filter(uploaded_at__lt=kept_since).defer("report"))
    storage, imports = private_storage(), 0
    try:
        _dirs, names = storage.listdir("imports")
    except FileNotFoundError:
        names = []
    for name in names:
        path = f"imports/{name}"
        try:
            modified = storage.get_modified_time(path)
        except (NotImplementedError, FileNotFoundError):
            continue
        if modified < now - datetime.timedelta(days=1):
            storage.delete(path)
            imports += 1
    return {"exports": exports, "import_jobs": import_jobs, "imports": imports}


def _remove_with_files(rows) -> int:
    removed = 0
    for row in rows:
        if row.file:
            row.file.delete(save=False)
        row.delete()
        removed += 1
    return removed

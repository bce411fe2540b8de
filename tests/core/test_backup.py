"""Backups that restore: complaints with attachments, their timelines and the parks' history, backed up
with `manage.py backup` and restored with `manage.py restore` into a fresh database, are all there again
with the same bytes. A damaged or altered archive, and a database that already holds data, are refused
before anything changes. Real PostgreSQL, real pg_dump and pg_restore."""

import io
import json
import os
import shutil
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from psycopg import sql

from complaints import services
from complaints.models import Complainant, Complaint, ComplaintAttachment, ComplaintEvent
from parks.models import Park


def _connect(dbname: str) -> psycopg.Connection:
    params = connection.settings_dict
    options = {"host": params["HOST"], "port": params["PORT"], "user": params["USER"], "password": params["PASSWORD"]}
    return psycopg.connect(dbname=dbname, autocommit=True, **{key: value for key, value in options.items() if value})


@pytest.fixture
def private_folder(tmp_path, monkeypatch):
    """The private storage as a folder on disk (as in production), for the commands and the model alike."""
    folder = tmp_path / "private"
    stores = {
        **settings.STORAGES,
        "private": {"BACKEND": "core.storage.PrivateFileSystemStorage", "OPTIONS": {"location": folder}},
    }
    with override_settings(STORAGES=stores):
        monkeypatch.setattr(ComplaintAttachment._meta.get_field("file"), "storage", storages["private"])
        yield folder


@pytest.fixture
def fresh_database():
    """An empty database next to the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with _connect("postgres") as admin:
        admin.execute(drop)
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with _connect("postgres") as admin:
        admin.execute(drop)


def _picture(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"\x89PNG\r\n\x1a\n" + os.urandom(3000), content_type="image/png")


@pytest.fixture
def complaints(world, private_folder):
    """Three complaints of park A (one anonymous), with attachments and a few steps each."""
    filed = []
    for n in range(3):
        submission = services.complaint_submit(
            park=world["park_a"],
            category="not_handled",
            subject=f"审批科{n}",
            description="材料齐全却不予受理。",
            is_anonymous=n == 2,
            contact_name="" if n == 2 else f"举报人{n}",
            contact_phone="" if n == 2 else f"1390000123{n}",
            files=[_picture(f"证据{n}-{k}.png") for k in range(2)],
        )
        filed.append(submission.complaint)
    services.complaint_accept(complaint=filed[0], actor=world["inspector"], note="已受理")
    return filed


def _rows(model, columns: list[str], dbname: str | None = None) -> list[tuple]:
    query = f"SELECT {', '.join(columns)} FROM {model._meta.db_table} ORDER BY 1, 2"  # noqa: S608 - our own names
    if dbname is None:
        with connection.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall()
    with _connect(dbname) as conn:
        return conn.execute(query).fetchall()


WHAT_MUST_COME_BACK = [
    (Complaint, ["id", "tracking_digest", "subject", "status", "submitted_at"]),
    (Complainant, ["complaint_id", "name", "phone"]),
    (ComplaintEvent, ["id", "complaint_id", "kind", "note", "at"]),
    (ComplaintAttachment, ["id", "complaint_id", "file", "original_name", "size"]),
    (Park.history.model, ["history_id", "id", "name", "history_type"]),
]


def _back_up(tmp_path: Path) -> Path:
    out = io.StringIO()
    call_command("backup", output=str(tmp_path / "backups"), stdout=out)
    [archive] = (tmp_path / "backups").glob("portal-*.tar.gz")
    assert str(archive) in out.getvalue()
    return archive


def _check_manifest(archive: Path) -> None:
    """The manifest names the database, the migrations and every other member with its checksum."""
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        members = {member.name for member in tar.getmembers()}
    assert manifest["database"]["name"] == connection.settings_dict["NAME"]
    assert manifest["created_at"].endswith("+08:00")
    assert "0001_initial" in manifest["migrations"]["complaints"]
    listed = {entry["path"] for entry in manifest["files"]}
    assert listed == members - {"manifest.json"}
    assert len([path for path in listed if path.startswith("files/complaints/")]) == 6
    assert all(len(entry["sha256"]) == 64 for entry in manifest["files"])


def _tables(dbname: str) -> int:
    with _connect(dbname) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0]


@pytest.mark.django_db(transaction=True)  # pg_dump, another process, sees committed rows only
def test_a_backup_brings_back_every_complaint_attachment_and_history_row_in_a_fresh_or_a_wiped_database(
    complaints, private_folder, fresh_database, tmp_path
):
    originals = {a.file.name: a.file.open("rb").read() for a in ComplaintAttachment.objects.all()}
    assert len(originals) == 6
    before = {model: _rows(model, columns) for model, columns in WHAT_MUST_COME_BACK}
    assert all(before.values())

    archive = _back_up(tmp_path)
    _check_manifest(archive)
    shutil.rmtree(private_folder)  # the disk is gone: no attachment left
    call_command("restore", str(archive), target_database=fresh_database, stdout=io.StringIO())

    for model, columns in WHAT_MUST_COME_BACK:
        assert _rows(model, columns, fresh_database) == before[model], model.__name__
    storage = storages["private"]
    for name, body in originals.items():
        with storage.open(name, "rb") as fh:
            assert fh.read() == body, name

    # The other disaster: the data wiped in the database in use; restored over it with --force.
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Complaint._meta.db_table} CASCADE")
    assert Complaint.objects.count() == 0
    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    for model, columns in WHAT_MUST_COME_BACK:
        assert _rows(model, columns) == before[model], model.__name__


def _rewrite(archive: Path, change, *, extra: bool = False) -> None:
    """Write the archive again with ``change(name, body, is_first_attachment)`` applied to each member (None
    drops it), and
    with one more file the manifest does not list if ``extra``."""
    with tarfile.open(archive) as tar:
        members = [(member, tar.extractfile(member).read()) for member in tar.getmembers()]
    first_file = min(member.name for member, _body in members if member.name.startswith("files/"))
    with tarfile.open(archive, "w:gz") as tar:
        for member, body in members:
            body = change(member.name, body, member.name == first_file)
            if body is not None:
                member.size = len(body)
                tar.addfile(member, io.BytesIO(body))
        if extra:
            member = tarfile.TarInfo("files/complaints/planted.sh")
            member.size = 2
            tar.addfile(member, io.BytesIO(b"#!"))


TAMPERING = {
    "altered attachment": (lambda name, body, first: body[:-1] + b"!" if first else body, "校验和不符"),
    "missing attachment": (lambda name, body, first: None if first else body, "备份文件不完整"),
    "truncated dump": (lambda name, body, first: body[:100] if name == "database.dump" else body, "校验和不符"),
    "unlisted file": (lambda name, body, first: body, "清单未列出"),
}


@pytest.mark.django_db
def test_a_damaged_or_altered_archive_is_refused_and_nothing_changes(
    complaints, private_folder, fresh_database, tmp_path
):
    archive = _back_up(tmp_path)
    shutil.rmtree(private_folder)
    for what, (change, message) in TAMPERING.items():
        copy = tmp_path / f"{what}.tar.gz"
        shutil.copy(archive, copy)
        _rewrite(copy, change, extra=what == "unlisted file")
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(copy), target_database=fresh_database)
        assert _tables(fresh_database) == 0, what
        assert not private_folder.exists(), what


@pytest.mark.django_db
def test_restoring_over_a_database_that_holds_data_needs_force(complaints, tmp_path):
    archive = _back_up(tmp_path)
    with pytest.raises(CommandError, match="--force"):
        call_command("restore", str(archive))
    assert Complaint.objects.count() == 3


def test_backups_refuse_sqlite_clearly(monkeypatch, tmp_path):
    monkeypatch.setitem(connection.settings_dict, "ENGINE", "django.db.backends.sqlite3")
    with pytest.raises(CommandError, match="备份仅支持 PostgreSQL"):
        call_command("backup", output=str(tmp_path))

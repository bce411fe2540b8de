"""Backups that restore: the database (``pg_dump``, custom format) and the private attachments in one
tar.gz with a manifest of sizes and SHA-256 checksums. A restore checks every checksum before it
changes anything, and refuses to write over a database that holds tables unless told to.

Archive layout::

    manifest.json     created_at (Asia/Shanghai), portal version and commit, database, migrations per
                      app, and every other member with its size and sha256
    database.dump     pg_dump --format=custom
    files/<name>      each file of the "private" storage (settings.STORAGES), under its storage name

The database is dumped first and the files copied after it, so every attachment a dumped row names is
in the archive (a file uploaded meanwhile is at worst an extra file no row names).
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import tarfile
import tempfile
import tomllib
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import psycopg
from django.conf import settings
from django.core.files import File
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

from .uploads import private_storage

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
FILES = "files"
CHUNK = 1024 * 1024


class BackupError(CommandError):
    """A backup or restore refused, with the reason for the operator. Nothing was changed."""


@dataclass
class Restored:
    manifest: dict
    files: int


# --- The database ---------------------------------------------------------------------------------------


def _database() -> dict:
    """The configured database's settings; PostgreSQL only (the SQLite of ``make run`` is a demo)."""
    database = connections["default"].settings_dict
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError(_("Backups support PostgreSQL only."))
    return database


def _client_env(database: dict) -> dict[str, str]:
    """The environment of pg_dump / pg_restore: the password travels in PGPASSWORD, never on the command line."""
    env = os.environ.copy()
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    if database.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(database["OPTIONS"]["sslmode"])
    return env


def _client_args(database: dict, name: str) -> list[str]:
    args = ["--no-password", "--dbname", name]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    return args


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as error:
        raise BackupError(
            _("%(program)s is not installed: install the PostgreSQL client of the server's major version.")
            % {"program": command[0]}
        ) from error
    if done.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s") % {"program": command[0], "error": done.stderr.strip()[-2000:]}
        )


def _holds_tables(database: dict, name: str) -> bool:
    """Whether the database ``name`` (on the configured server) has any table outside PostgreSQL's own."""
    params = {
        "dbname": name,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    try:
        with psycopg.connect(**{key: value for key, value in params.items() if value}, autocommit=True) as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
            ).fetchone()
    except psycopg.OperationalError as error:
        message = _("The database %(name)s cannot be reached: %(error)s") % {"name": name, "error": error}
        raise BackupError(message) from error
    return row[0] > 0


def _server_version() -> int:
    connection = connections["default"]
    connection.ensure_connection()
    return connection.pg_version  # e.g. 150020: pg_restore must be of this major version or newer


def migration_state() -> dict[str, list[str]]:
    """The migrations applied to the configured database, per app."""
    state: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections["default"]).applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


def portal_version() -> dict[str, str]:
    """The portal's version (pyproject.toml) and git commit (PORTAL_COMMIT, else ``git rev-parse``), if known."""
    version = {"version": "", "commit": os.environ.get("PORTAL_COMMIT", "")}
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as fh:
            version["version"] = tomllib.load(fh)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        pass
    if not version["commit"]:
        try:
            done = subprocess.run(
                ["git", "rev-parse", "HEAD"],  # noqa: S607
                cwd=settings.BASE_DIR,
                capture_output=True,
                text=True,
                timeout=5,
                check=False,
            )
            version["commit"] = done.stdout.strip() if done.returncode == 0 else ""
        except (OSError, subprocess.SubprocessError):
            pass
    return version


# --- The archive ----------------------------------------------------------------------------------------


class _HashingReader:
    """Reads a file once for the archive, counting and hashing what passes."""

    def __init__(self, fh):
        self.fh, self.sha256, self.size = fh, hashlib.sha256(), 0

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def storage_names(storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, through the storage API (a folder on disk, S3, memory alike)."""
    try:
        folders, names = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(names):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from storage_names(storage, f"{folder}/{sub}" if folder else sub)


def _add(archive: tarfile.TarFile, member: str, fh, size: int) -> dict:
    info = tarfile.TarInfo(member)
    info.size, info.mtime, info.mode = size, int(timezone.now().timestamp()), 0o600
    reader = _HashingReader(fh)
    archive.addfile(info, reader)
    return {"path": member, "size": reader.size, "sha256": reader.sha256.hexdigest()}


def _add_storage(archive: tarfile.TarFile, storage) -> list[dict]:
    entries = []
    for name in storage_names(storage):
        with storage.open(name, "rb") as fh:
            entries.append(_add(archive, f"{FILES}/{name}", fh, storage.size(name)))
    return entries


def backup_create(*, destination: Path) -> tuple[Path, dict]:
    """Write one archive into ``destination`` (readable by its owner only); returns its path and manifest.
    The archive appears under its final name only once complete."""
    database = _database()
    destination.mkdir(parents=True, exist_ok=True)
    created = timezone.localtime()
    final = destination / f"portal-{created:%Y%m%d-%H%M%S}.tar.gz"
    partial = final.with_name(final.name + ".partial")
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMP
        command = ["pg_dump", "--format=custom", "--file", str(dump), *_client_args(database, database["NAME"])]
        _run(command, _client_env(database))
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
            with open(dump, "rb") as fh:
                entries = [_add(archive, DUMP, fh, dump.stat().st_size)]
            entries += _add_storage(archive, private_storage())
            manifest = {
                "format": FORMAT,
                "created_at": created.isoformat(),
                "portal": portal_version(),
                "database": {
                    "name": database["NAME"],
                    "engine": "postgresql",
                    "server_version": _server_version(),
                },
                "migrations": migration_state(),
                "files": entries,
            }
            body = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            _add(archive, MANIFEST, io.BytesIO(body), len(body))
    os.replace(partial, final)
    return final, manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        listed = {PurePosixPath(entry["path"]).as_posix(): entry for entry in files}
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BackupError(
            _("The archive has no readable manifest (manifest.json): it is not a backup of the portal.")
        ) from error
    if DUMP not in listed:
        raise BackupError(_("The archive is incomplete: %(path)s is missing. Nothing was restored.") % {"path": DUMP})
    return manifest


def backup_verify(archive_path: Path, folder: Path) -> dict:
    """Unpack ``archive_path`` into ``folder`` and check every member against the manifest: each listed
    file present with its size and checksum, nothing unlisted. Returns the manifest."""
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            archive.extractall(folder, filter="data")  # no absolute paths, no "..", no links out
    except (OSError, EOFError, zlib.error, tarfile.TarError) as error:
        raise BackupError(_("The archive cannot be read: %(error)s") % {"error": error}) from error
    manifest = _read_manifest(folder)
    listed = set()
    for entry in manifest["files"]:
        path = folder / entry["path"]
        listed.add(path)
        if not path.is_file():
            raise BackupError(
                _("The archive is incomplete: %(path)s is missing. Nothing was restored.") % {"path": entry["path"]}
            )
        if path.stat().st_size != entry["size"] or _sha256(path) != entry["sha256"]:
            raise BackupError(
                _("Checksum mismatch for %(path)s: the archive is damaged or was altered. Nothing was restored.")
                % {"path": entry["path"]}
            )
    for path in folder.rglob("*"):
        if path.is_file() and path != folder / MANIFEST and path not in listed:
            raise BackupError(
                _("The archive holds %(path)s, which its manifest does not list: it was altered. Nothing was restored.")
                % {"path": path.relative_to(folder).as_posix()}
            )
    return manifest


def _write_files(folder: Path, storage) -> int:
    """Put each unpacked file back into ``storage`` under its own name (replacing a file of that name)."""
    count = 0
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        if not path.is_file():
            continue
        name = path.relative_to(folder).as_posix()
        if storage.exists(name):
            storage.delete(name)
        with open(path, "rb") as fh:
            saved = storage.save(name, File(fh, name=name))
        if saved != name:
            raise BackupError(_("The file %(name)s could not be written back under its name.") % {"name": name})
        count += 1
    return count


def backup_restore(*, archive_path: Path, database_name: str = "", force: bool = False) -> Restored:
    """Restore an archive into the configured database (or ``database_name`` on the same server) and put
    the attachments back into the private storage. Every checksum is checked first; a database that
    holds tables is replaced only with ``force``."""
    database = _database()
    target = database_name or database["NAME"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        manifest = backup_verify(archive_path, folder)
        if not force and _holds_tables(database, target):
            raise BackupError(
                _(
                    "The database %(name)s is not empty: restoring would replace its data. "
                    "Stop the web and worker processes and add --force to restore over it."
                )
                % {"name": target}
            )
        if target == database["NAME"]:
            connections.close_all()  # our own connection must not hold locks on the tables dropped
        command = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction"]
        _run([*command, *_client_args(database, target), str(folder / DUMP)], _client_env(database))
        files = _write_files(folder / FILES, private_storage())
    return Restored(manifest=manifest, files=files)

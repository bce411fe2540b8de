"""Imports from Excel (.xlsx) or CSV: checked in full first (a preview: every row counted, the first rows
shown, every error by row and column in Chinese), then — only when the user confirms and nothing is wrong —
saved all at once in one transaction. Rows are matched on natural keys, so importing the same file again
changes nothing.

Both phases stream the file in chunks (``CHUNK_ROWS``): a chunk is parsed, looked up in bulk, built and
(when saving) written before the next is read, so memory follows the chunk, not the file. All or nothing is
the transaction's business: a bad row in the last chunk rolls back the chunks saved before it.

Each ledger has an ``Importer`` (in its app's ``imports.py``; ``parks.imports.LedgerImporter`` is the base
of the ledgers kept per park) naming its column declaration (the app's
``columns.py``, see core.columns) and its natural key; this module runs the two phases, on top
of ``import_files`` (reading files) and ``import_cells`` (parsing cells). Foreign keys are looked up in
bulk, never one query per row. Core knows no ledger: the apps register their importers, which Django finds
as every app's ``imports`` module (``autodiscover``).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .import_cells import CellError, parse_text
from .import_files import FileRefused, Formula, open_table, rows_in
from .middleware import NUL

REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    REGISTRY[importer.name] = importer
    return importer


def autodiscover() -> dict[str, type[Importer]]:
    """Every app's importers, registered by importing its ``imports`` module."""
    autodiscover_modules("imports")
    return REGISTRY


# --- the two phases --------------------------------------------------------------------------------------

NEW, UPDATED, UNCHANGED, ERROR = "new", "updated", "unchanged", "error"


@dataclass
class RowResult:
    number: int
    status: str = NEW
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column header or "", message)
    label: str = ""
    instance: Any = None


#: What a report keeps of a file's rows besides their counts: the first PREVIEW_ROWS rows (the preview)
#: and the first ERROR_ROWS rows with errors, each with its messages. A 50,000-row file is previewed
#: without holding 50,000 rows.
PREVIEW_ROWS = 500
ERROR_ROWS = 1000


@dataclass
class Report:
    rows: list[RowResult] = field(default_factory=list)  # the first PREVIEW_ROWS rows
    file_error: str = ""
    counts: dict[str, int] = field(default_factory=dict)  # rows by status, every row of the file
    errors: list[RowResult] = field(default_factory=list)  # the first ERROR_ROWS rows with errors

    @property
    def ok(self) -> bool:
        return not self.file_error and not self.counts.get(ERROR)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def add(self, row: RowResult) -> None:
        """Count a checked row; keep it if it is among the first rows, or the first with errors."""
        row.instance = None
        self.counts[row.status] = self.counts.get(row.status, 0) + 1
        if len(self.rows) < PREVIEW_ROWS:
            self.rows.append(row)
        if row.errors and len(self.errors) < ERROR_ROWS:
            self.errors.append(row)

    def as_json(self) -> dict:
        """What a preview shows, for an import job to keep (``ImportJob.report``): the counts, and each row
        kept as [number, status, label, [[column, message], …]]."""

        def rows(kept: list[RowResult]) -> list:
            return [
                [
                    row.number,
                    row.status,
                    str(row.label),
                    [[str(column), str(message)] for column, message in row.errors],
                ]
                for row in kept
            ]

        return {
            "file_error": self.file_error,
            "counts": self.counts,
            "rows": rows(self.rows),
            "errors": rows(self.errors),
        }

    @classmethod
    def from_json(cls, data: dict) -> Report:
        def rows(kept: list) -> list[RowResult]:
            return [
                RowResult(number=number, status=status, label=label, errors=[tuple(e) for e in errors])
                for number, status, label, errors in kept
            ]

        if "counts" not in data:  # kept before reports were bounded: every row
            report = cls(file_error=data.get("file_error", ""))
            for row in rows(data.get("rows", [])):
                report.add(row)
            return report
        return cls(
            rows=rows(data["rows"]),
            file_error=data.get("file_error", ""),
            counts=data["counts"],
            errors=rows(data["errors"]),
        )


class FromColumns:
    """An importer's ``columns`` (expected headers) or ``title`` (sheet), read from its ledger's column
    declaration (``declaration``, a core.columns.Columns) whenever asked, on the class or an instance."""

    def __init__(self, read: Callable):
        self.read = read

    def __get__(self, instance, owner):
        return self.read(owner.declaration)


class Importer:
    """One ledger's import: its columns, how a row becomes an instance, how instances are saved. The
    columns and the title come from the ledger's column declaration (``declaration``)."""

    do_not_call_in_templates = True
    name: str
    declaration: Any = None  # core.columns.Columns
    title = FromColumns(lambda declaration: declaration.title)
    columns = FromColumns(lambda declaration: declaration.import_columns())
    #: Who may use it: ``permission(user)`` is true (a staticmethod of each ledger's importer).
    permission: Callable
    #: Fields full_clean cannot check before saving (a parent created by the same import).
    exclude_from_clean: tuple[str, ...] = ()
    #: The page a confirmed import returns to (a URL name).
    done_url = "imports:index"

    def __init__(self, actor):
        self.actor = actor

    def key(self, values: dict):
        raise NotImplementedError

    def start(self) -> None:
        """Before the file's first chunk: fetch what every chunk needs, forget what an earlier pass kept."""

    def prepare(self, rows: list[dict]) -> None:
        """Fetch everything the rows refer to, in bulk. Called for each chunk of the file (CHUNK_ROWS rows)
        with its rows: what it fetches is for those rows only, so that memory follows the chunk."""

    def build(self, values: dict, result: RowResult) -> None:
        """Set ``result.instance`` (new or existing, changed) and ``result.status``; raise ValidationError
        or CellError for what is wrong."""
        raise NotImplementedError

    def save(self, results: list[RowResult]) -> None:
        """Save one chunk's new and updated rows (inside the import's one transaction: the chunks before it
        are saved, the next ones not yet checked)."""
        raise NotImplementedError

    def finish(self) -> None:
        """After the last chunk is saved, still inside the transaction."""

    def notes(self) -> list[str]:
        """What a confirmed import tells the user besides its counts (after ``save``)."""
        return []

    def saving(self) -> contextlib.AbstractContextManager:
        """What the check and the save of a confirmed import run inside (the risk ledgers put off their
        alert rules until the end, once per park)."""
        return contextlib.nullcontext()

    # -- shared helpers --

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)


def _parse_row(importer: Importer, number: int, raw: dict) -> tuple[RowResult, dict]:
    """One row's cells parsed by their columns; what cannot be read is an error of its column."""
    result = RowResult(number=number)
    values = {}
    for column in importer.columns:
        if column.key not in raw:
            continue
        cell = raw[column.key]
        if isinstance(cell, Formula):
            result.errors.append((column.header, _("is a formula; paste the values instead")))
            continue
        if isinstance(cell, str) and NUL in cell:  # PostgreSQL stores no NUL in text
            result.errors.append(
                (
                    column.header,
                    _("contains a NUL character, which cannot be stored; delete it and type the text again"),
                )
            )
            continue
        if parse_text(cell) == "":
            if not column.blank:
                result.errors.append((column.header, _("is empty")))
            values[column.key] = None
            continue
        try:
            values[column.key] = column.parse(cell)
        except CellError as error:
            result.errors.append((column.header, str(error)))
    return result, values


#: The file is read, checked and saved this many rows at a time: lookups are one query per chunk, and
#: memory holds one chunk (plus a few bytes per row for the duplicate check).
CHUNK_ROWS = 1000
#: ``check`` tells its ``progress`` callback how far it got every this many rows.
PROGRESS_EVERY = 100


def check(importer: Importer, name: str, data: bytes, progress: Callable[[int, int], None] | None = None) -> Report:
    """Phase one: read and validate everything; change nothing. ``progress(rows checked, rows)`` is called
    once the file is opened, every PROGRESS_EVERY rows and at the end (an import job shows it)."""
    return _stream(importer, name, data, progress, save=False)


def run(importer: Importer, name: str, data: bytes) -> Report:
    """Phase two: check again (the data may have changed since the preview) and, if nothing is wrong,
    save every row in one transaction; the alert rules run once per park afterwards. Each chunk is saved
    once it is checked; a bad row anywhere, even the last, rolls every chunk back.

    Imports of the same ledger take turns (a transaction-scoped lock taken before the check): a second
    confirmation of the same file — a double click, a re-post — checks it against what the first one
    committed, finds every row unchanged and saves nothing, instead of colliding on a unique index."""
    with transaction.atomic(), importer.saving():
        _take_turns(importer)
        report = _stream(importer, name, data, None, save=True)
        if not report.ok:
            transaction.set_rollback(True)
    return report


def _stream(importer: Importer, name: str, data: bytes, progress, save: bool) -> Report:
    """Read the file chunk by chunk, checking each chunk (and, with ``save``, saving it while every row
    so far is right); the report counts every row and keeps the first ones."""
    total = rows_in(name, data, settings.IMPORT_MAX_ROWS) if progress else 0  # counted, not read: for the progress
    progress = progress or (lambda checked, total: None)
    report, seen = Report(), {}
    try:
        with open_table(name, data, importer.columns, str(importer.title)) as table:
            importer.start()
            progress(0, total)
            while chunk := list(itertools.islice(table, CHUNK_ROWS)):
                results = _check_chunk(importer, chunk, seen)
                if save and report.ok and not any(result.errors for result in results):
                    importer.save([result for result in results if result.status in (NEW, UPDATED)])
                for result in results:
                    report.add(result)
                    if report.total % PROGRESS_EVERY == 0:
                        progress(report.total, max(total, report.total))
    except FileRefused as refused:
        return Report(file_error=refused.message)
    if save and report.ok:
        importer.finish()
    progress(report.total, report.total)
    return report


def _check_chunk(importer: Importer, chunk: list[tuple[int, dict]], seen: dict[bytes, int]) -> list[RowResult]:
    """One chunk's rows parsed, checked against the file's earlier rows (``seen``: the digest of each
    natural key → its row number) and built, its lookups fetched in bulk."""
    parsed = [_parse_row(importer, number, raw) for number, raw in chunk]
    for result, values in parsed:
        if result.errors:
            continue
        first = seen.setdefault(_digest(importer.key(values)), result.number)
        if first != result.number:
            result.errors.append(("", _("the same as row %(row)d") % {"row": first}))
    importer.prepare([values for result, values in parsed if not result.errors])
    for result, values in parsed:
        if not result.errors:
            _build(importer, result, values)
        if result.errors:
            result.status = ERROR
    return [result for result, _values in parsed]


def _digest(key) -> bytes:
    """A natural key in 8 bytes, whatever its size: two different keys share one with odds of 1 in 2⁶⁴."""
    return hashlib.blake2b(repr(key).encode(), digest_size=8).digest()


def _build(importer: Importer, result: RowResult, values: dict) -> None:
    try:
        importer.build(values, result)
        if result.instance is not None and result.status != UNCHANGED:
            # Foreign keys come from the importer's bulk lookups, and uniqueness is checked against
            # the file and the natural keys: asking the database again per row would cost a query each.
            relations = [f.name for f in result.instance._meta.fields if f.is_relation]
            result.instance.full_clean(
                exclude=[*importer.exclude_from_clean, *relations],
                validate_unique=False,
                validate_constraints=False,
            )
    except CellError as error:
        result.errors.append(("", str(error)))
    except ValidationError as error:
        for key, messages in getattr(error, "message_dict", {"": error.messages}).items():
            for message in messages:
                result.errors.append((importer.header_of(key) if key != "__all__" else "", message))


IMPORT_LOCK_NAMESPACE = 0x1D0A_0000_0000  # keeps these advisory-lock keys apart from any other use


def _take_turns(importer: Importer) -> None:
    if connection.vendor == "postgresql":  # SQLite (the embedded default) runs one writer at a time anyway
        key = IMPORT_LOCK_NAMESPACE + zlib.crc32(importer.name.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])

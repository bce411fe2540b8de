"""Imports from Excel (.xlsx) or CSV: checked in full first (a preview of every row and every error, by
row and column, in Chinese), then — only when the user confirms and nothing is wrong — saved all at once
in one transaction. Rows are matched on natural keys, so importing the same file again changes nothing.

Each ledger has an ``Importer`` (in its app's ``imports.py``; ``parks.imports.LedgerImporter`` is the base
of the ledgers kept per park) naming its column declaration (the app's
``columns.py``, see core.columns) and its natural key; this module runs the two phases, on top
of ``import_files`` (reading files) and ``import_cells`` (parsing cells). Foreign keys are looked up in
bulk, never one query per row. Core knows no ledger: the apps register their importers, which Django finds
as every app's ``imports`` module (``autodiscover``).
"""

from __future__ import annotations

import contextlib
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from .import_cells import CellError, parse_text
from .import_files import FileRefused, Formula, read_table
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


@dataclass
class Report:
    rows: list[RowResult]
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.file_error and not any(row.errors for row in self.rows)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def errors(self) -> list[RowResult]:
        return [row for row in self.rows if row.errors]

    def as_json(self) -> dict:
        """What a preview shows, for an import job to keep (``ImportJob.report``): each row as
        [number, status, label, [[column, message], …]], without its instance."""
        return {
            "file_error": self.file_error,
            "rows": [
                [
                    row.number,
                    row.status,
                    str(row.label),
                    [[str(column), str(message)] for column, message in row.errors],
                ]
                for row in self.rows
            ],
        }

    @classmethod
    def from_json(cls, data: dict) -> Report:
        rows = [
            RowResult(number=number, status=status, label=label, errors=[tuple(e) for e in errors])
            for number, status, label, errors in data.get("rows", [])
        ]
        return cls(rows=rows, file_error=data.get("file_error", ""))


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

    def prepare(self, rows: list[dict]) -> None:
        """Fetch everything the rows refer to, in bulk."""

    def build(self, values: dict, result: RowResult) -> None:
        """Set ``result.instance`` (new or existing, changed) and ``result.status``; raise ValidationError
        or CellError for what is wrong."""
        raise NotImplementedError

    def save(self, results: list[RowResult]) -> None:
        raise NotImplementedError

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


#: ``check`` tells its ``progress`` callback how far it got every this many rows.
PROGRESS_EVERY = 100


def check(importer: Importer, name: str, data: bytes, progress: Callable[[int, int], None] | None = None) -> Report:
    """Phase one: read and validate everything; change nothing. ``progress(rows checked, rows)`` is called
    once the file is read, every PROGRESS_EVERY rows and at the end (an import job shows it)."""
    progress = progress or (lambda checked, total: None)
    try:
        table = read_table(name, data, importer.columns, str(importer.title))
    except FileRefused as refused:
        return Report(rows=[], file_error=refused.message)
    total = len(table)
    progress(0, total)
    parsed = [_parse_row(importer, number, raw) for number, raw in table]
    seen: dict = {}
    for result, values in parsed:
        if result.errors:
            continue
        key = importer.key(values)
        if key in seen:
            result.errors.append(("", _("the same as row %(row)d") % {"row": seen[key]}))
        else:
            seen[key] = result.number
    importer.prepare([values for result, values in parsed if not result.errors])
    for checked, (result, values) in enumerate(parsed, start=1):
        if checked % PROGRESS_EVERY == 0:
            progress(checked, total)
        if result.errors:
            result.status = ERROR
            continue
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
        if result.errors:
            result.status = ERROR
    progress(total, total)
    return Report(rows=[result for result, _values in parsed])


def run(importer: Importer, name: str, data: bytes) -> Report:
    """Phase two: check again (the data may have changed since the preview) and, if nothing is wrong,
    save every row in one transaction; the alert rules run once per park afterwards.

    Imports of the same ledger take turns (a transaction-scoped lock taken before the check): a second
    confirmation of the same file — a double click, a re-post — checks it against what the first one
    committed, finds every row unchanged and saves nothing, instead of colliding on a unique index."""
    with transaction.atomic(), importer.saving():
        _take_turns(importer)
        report = check(importer, name, data)
        if report.ok:
            importer.save([row for row in report.rows if row.status in (NEW, UPDATED)])
    return report


IMPORT_LOCK_NAMESPACE = 0x1D0A_0000_0000  # keeps these advisory-lock keys apart from any other use


def _take_turns(importer: Importer) -> None:
    if connection.vendor == "postgresql":  # SQLite (the embedded default) runs one writer at a time anyway
        key = IMPORT_LOCK_NAMESPACE + zlib.crc32(importer.name.encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])

"""Imports from Excel (.xlsx) or CSV: checked in full first (a preview of every row and every error, by
row and column, in Chinese), then — only when the user confirms and nothing is wrong — saved all at once
in one transaction. Rows are matched on natural keys, so importing the same file again changes nothing.

Each ledger has an ``Importer`` (in its app's ``imports.py``) naming its column declaration (the app's
``columns.py``, see core.columns) and its natural key; this module reads files, parses cells and runs the
two phases. Foreign keys are looked up in bulk, never
one query per row.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _

from .middleware import NUL

REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    REGISTRY[importer.name] = importer
    return importer


class CellError(ValueError):
    """A cell that cannot be read; the message says why, in Chinese."""


# --- cell parsers ----------------------------------------------------------------------------------------

TRUE, FALSE = {"是", "y", "yes", "true", "1", "√", "有"}, {"否", "n", "no", "false", "0", "×", "无"}


def parse_text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_park_code(value: Any) -> str:
    """Park codes are upper case; "pds-gxq" typed by hand is the same park (and the same key) as "PDS-GXQ"."""
    return parse_text(value).upper()


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = parse_text(value).lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise CellError(_("write 是 or 否"))


DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
]


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = parse_text(value)
    text = text.split(" ")[0] if re.match(r"^\d{4}-\d{1,2}-\d{1,2} 00:00(:00)?$", text) else text
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError as error:
                raise CellError(_("“%(value)s” is not a date that exists") % {"value": text}) from error
    raise CellError(_("“%(value)s” is not a date; write 2026-03-01 or 2026/3/1") % {"value": text})


MAX_AMOUNT = Decimal(10) ** 14  # the ledgers keep 16 digits, 2 after the point


def parse_amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise CellError(_("write an amount"))
    if isinstance(value, int | float | Decimal):
        amount = Decimal(str(value))
    else:
        text = (
            parse_text(value)
            .replace(",", "")
            .replace("，", "")
            .replace("¥", "")
            .replace("￥", "")
            .replace("元", "")
            .strip()
        )
        try:
            amount = Decimal(text)
        except InvalidOperation as error:
            raise CellError(
                _("“%(value)s” is not an amount; write 1234.50 or 1,234.50") % {"value": parse_text(value)}
            ) from error
    if not amount.is_finite():
        raise CellError(_("write an amount"))
    if amount < 0:
        raise CellError(_("an amount cannot be negative"))
    if amount >= MAX_AMOUNT:
        raise CellError(_("the amount is too large; amounts are in yuan"))
    return amount.quantize(Decimal("0.01"))


def parse_int(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = parse_text(value)
    if not re.fullmatch(r"\d+", text):
        raise CellError(_("“%(value)s” is not a whole number") % {"value": text})
    return int(text)


def choice_parser(choices) -> Callable[[Any], str]:
    """Chinese label (or the stored code) → stored value."""
    by_label = {str(label): value for value, label in choices.choices}
    values = set(choices.values)

    def parse(value: Any) -> str:
        text = parse_text(value)
        if text in by_label:
            return by_label[text]
        if text in values:
            return text
        raise CellError(_("“%(value)s” is not one of: %(choices)s") % {"value": text, "choices": "、".join(by_label)})

    return parse


# --- reading files ---------------------------------------------------------------------------------------


@dataclass
class Column:
    header: str
    key: str
    parse: Callable[[Any], Any] = parse_text
    required: bool = True  # the column must be present
    blank: bool = False  # a cell may be empty
    example: Any = ""


class FileRefused(Exception):
    """The file as a whole cannot be imported; ``message`` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _looks_like_xlsx(data: bytes) -> bool:
    if not data.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "[Content_Types].xml" in archive.namelist() and any(n.startswith("xl/") for n in archive.namelist())
    except zipfile.BadZipFile:
        return False


def read_table(name: str, data: bytes, columns: list[Column], sheet_title: str) -> list[tuple[int, dict]]:
    """The file's rows as (row number, {column key: raw value}); FileRefused for what is wrong with the
    file as a whole.

    Reading is bounded: no more than ``IMPORT_MAX_ROWS`` rows are read (blank ones count: a sheet can
    declare a million empty rows), and reading stops after ``IMPORT_READ_MAX_SECONDS``; a workbook is
    first checked unopened (``check_archive``)."""
    if not data:
        raise FileRefused(_("The file is empty."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    is_xlsx = _looks_like_xlsx(data)
    if extension == "xlsx" and not is_xlsx:
        raise FileRefused(
            _("The file is called .xlsx but is not an Excel workbook; save it again from Excel as .xlsx.")
        )
    if is_xlsx and extension != "xlsx":
        raise FileRefused(
            _("The file is an Excel workbook but is called .%(ext)s; rename it to .xlsx.") % {"ext": extension or "?"}
        )
    if extension not in ("xlsx", "csv"):
        raise FileRefused(_("Upload an Excel workbook (.xlsx) or a CSV file."))
    raw_rows = _xlsx_rows(data, columns, sheet_title) if is_xlsx else _csv_rows(data)
    try:
        return _read_rows(raw_rows, columns)
    finally:
        raw_rows.close()  # a workbook left half-read is closed now, not when garbage is collected


def _read_rows(raw_rows: Iterator[list], columns: list[Column]) -> list[tuple[int, dict]]:
    header = [parse_text(cell) for cell in next(raw_rows, [])]
    while header and not header[-1]:
        header.pop()
    if "" in header:
        raise FileRefused(
            _("The header row has an empty cell in column %(column)d — merged or blank header cells cannot be read.")
            % {"column": header.index("") + 1}
        )
    missing = [c.header for c in columns if c.required and c.header not in header]
    if missing:
        raise FileRefused(_("Columns missing from the header row: %(columns)s.") % {"columns": "、".join(missing)})
    positions = {c.key: header.index(c.header) for c in columns if c.header in header}
    deadline = time.monotonic() + settings.IMPORT_READ_MAX_SECONDS
    rows = []
    for number, raw in enumerate(raw_rows, start=2):
        if number - 1 > settings.IMPORT_MAX_ROWS:
            raise FileRefused(
                _("The file has more than %(limit)d rows; split it into smaller files.")
                % {"limit": settings.IMPORT_MAX_ROWS}
            )
        if time.monotonic() >= deadline:
            raise FileRefused(
                _("Reading the file took longer than %(seconds)d seconds; split it into smaller files.")
                % {"seconds": settings.IMPORT_READ_MAX_SECONDS}
            )
        if all(parse_text(cell) == "" for cell in raw):
            continue
        rows.append((number, {key: (raw[index] if index < len(raw) else None) for key, index in positions.items()}))
    if not rows:
        raise FileRefused(_("The file has a header row but no data."))
    return rows


class Formula(str):
    """A cell that holds a formula instead of a value."""


# An .xlsx is a zip archive: a few MB can unpack to gigabytes of sheet XML (a decompression bomb). The
# sizes its directory declares are checked before anything is parsed; Python's zipfile never unpacks a
# member past its declared size, so the declaration is a bound. Measured on workbooks written by Excel,
# openpyxl and XlsxWriter: sheet XML compresses 10-20 times and takes 300-760 bytes per row of our
# widest templates.
XLSX_MAX_RATIO = 100  # unpacked / packed, for any part over XLSX_BASE_BYTES
XLSX_BYTES_PER_ROW = 2048
XLSX_BASE_BYTES = 1024 * 1024  # styles, theme, workbook: the parts that are not rows
XLSX_MAX_PARTS = 1000


def xlsx_max_unpacked_bytes() -> int:
    """What a workbook within the import limits can need unpacked: IMPORT_MAX_ROWS generous rows plus the
    parts that are not rows, and never more than IMPORT_MAX_MB at the largest compression ratio."""
    return min(
        settings.IMPORT_MAX_ROWS * XLSX_BYTES_PER_ROW + XLSX_BASE_BYTES,
        settings.IMPORT_MAX_MB * 1024 * 1024 * XLSX_MAX_RATIO,
    )


def check_archive(archive: zipfile.ZipFile) -> None:
    """FileRefused for a workbook whose declared sizes no import within the limits needs."""
    parts = archive.infolist()
    if len(parts) > XLSX_MAX_PARTS:
        raise FileRefused(_("The workbook has too many parts; save it again from Excel as .xlsx."))
    for part in parts:
        if part.file_size > XLSX_BASE_BYTES and part.file_size > XLSX_MAX_RATIO * max(part.compress_size, 1):
            raise FileRefused(
                _(
                    "The workbook is compressed far more than a spreadsheet can be (a part unpacks to %(ratio)d "
                    "times its size); it is refused unread. Save it again from Excel as .xlsx."
                )
                % {"ratio": part.file_size // max(part.compress_size, 1)}
            )
    unpacked = sum(part.file_size for part in parts)
    limit = xlsx_max_unpacked_bytes()
    if unpacked > limit:
        raise FileRefused(
            _(
                "The workbook unpacks to %(size)d MB, more than %(rows)d rows can need (%(limit)d MB); "
                "split it into smaller files."
            )
            % {"size": unpacked // (1024 * 1024), "rows": settings.IMPORT_MAX_ROWS, "limit": limit // (1024 * 1024)}
        )


def _xlsx_rows(data: bytes, columns: list[Column], sheet_title: str) -> Iterator[list]:
    """The rows of the first sheet whose first row has the expected headers, header first, read one by
    one as they are asked for."""
    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
    except zipfile.BadZipFile as error:
        raise FileRefused(_("The workbook cannot be read; save it again from Excel as .xlsx.")) from error
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as error:
        raise FileRefused(_("The workbook cannot be read; save it again from Excel as .xlsx.")) from error
    required = {c.header for c in columns if c.required}
    candidates = [book[sheet_title]] if sheet_title in book.sheetnames else []
    candidates += [sheet for sheet in book.worksheets if sheet.title != sheet_title]
    try:
        for sheet in candidates:
            # Trust the cells, not the sheet's declared dimension: "A1:XFD1048576" would pad every row
            # to 16,384 cells and add every missing row up to a million.
            sheet.reset_dimensions()
            header = next(sheet.iter_rows(max_row=1, values_only=True), ())
            if not required & {parse_text(v) for v in header}:
                continue
            width = max(index + 1 for index, value in enumerate(header) if parse_text(value) != "")
            yield list(header)
            for row in sheet.iter_rows(min_row=2, max_col=width, values_only=False):
                yield [Formula(cell.value) if getattr(cell, "data_type", None) == "f" else cell.value for cell in row]
            return
    except FileRefused:
        raise
    except Exception as error:  # malformed XML inside a sheet, found while reading it
        raise FileRefused(_("The workbook cannot be read; save it again from Excel as .xlsx.")) from error
    finally:
        book.close()
    raise FileRefused(
        _("No sheet of the workbook has the expected header row (sheet “%(sheet)s” with columns %(columns)s).")
        % {"sheet": sheet_title, "columns": "、".join(c.header for c in columns if c.required)}
    )


def _csv_rows(data: bytes) -> Iterator[list]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileRefused(_("The CSV file is neither UTF-8 nor GBK text."))
    reader = csv.reader(io.StringIO(text))
    try:
        yield from reader
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise FileRefused(
                _(
                    "Row %(row)d of the CSV file has a cell longer than %(limit)d characters, more than any "
                    "field of the ledgers can hold."
                )
                % {"row": reader.line_num, "limit": csv.field_size_limit()}
            ) from error
        raise FileRefused(
            _("Row %(row)d of the CSV file cannot be read; save it again from Excel as CSV.") % {"row": reader.line_num}
        ) from error


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
    permission: Callable = staticmethod(lambda user: user.can_edit_risk_ledgers)
    #: Fields full_clean cannot check before saving (a parent created by the same import).
    exclude_from_clean: tuple[str, ...] = ()

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

    # -- shared helpers --

    def header_of(self, key: str) -> str:
        return next((c.header for c in self.columns if c.key == key), key)


def check(importer: Importer, name: str, data: bytes) -> Report:
    """Phase one: read and validate everything; change nothing."""
    try:
        table = read_table(name, data, importer.columns, str(importer.title))
    except FileRefused as refused:
        return Report(rows=[], file_error=refused.message)
    parsed: list[tuple[RowResult, dict]] = []
    for number, raw in table:
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
        parsed.append((result, values))
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
    for result, values in parsed:
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
    return Report(rows=[result for result, _values in parsed])


def run(importer: Importer, name: str, data: bytes) -> Report:
    """Phase two: check again (the data may have changed since the preview) and, if nothing is wrong,
    save every row in one transaction; the alert rules run once per park afterwards.

    Imports of the same ledger take turns (a transaction-scoped lock taken before the check): a second
    confirmation of the same file — a double click, a re-post — checks it against what the first one
    committed, finds every row unchanged and saves nothing, instead of colliding on a unique index."""
    from risks.engine import deferred_evaluation

    with transaction.atomic(), deferred_evaluation():
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


# --- a base for the ledgers ------------------------------------------------------------------------------


class LedgerImporter(Importer):
    """Rows of one model, each belonging to a park given by its code and matched on a natural key.

    Subclasses say which model, how a row's values map to fields (``fields``) and which of them form the
    key; they add lookups (enterprises, contracts) in ``prepare`` and checks in ``extra_checks``.
    """

    model: type
    park_column = "park"
    key_fields: tuple[str, ...] = ()  # model fields of the natural key (besides the park)

    @property
    def fields(self) -> dict[str, str]:
        """Column key -> model field: the imported columns named after a (non-relation) field of the model."""
        names = {f.name for f in self.model._meta.concrete_fields if not f.is_relation}
        return {c.key: c.key for c in self.columns if c.key in names}

    def prepare(self, rows):
        from parks.models import Park

        self.parks = {park.code: park for park in Park.objects.visible_to(self.actor)}
        self.existing = {}
        for obj in self.existing_queryset(rows):
            self.existing.setdefault(self.key_of(obj), obj)

    def existing_queryset(self, rows):
        return self.model.objects.filter(park__in=self.parks.values())

    def key_of(self, obj) -> tuple:
        return (obj.park_id, *(_plain_key(obj, name) for name in self.key_fields))

    def key(self, values):
        return tuple(values.get(column) for column in [self.park_column, *self.key_columns()])

    def key_columns(self) -> list[str]:
        inverse = {field: column for column, field in self.fields.items()}
        return [inverse[name] for name in self.key_fields]

    def park(self, values):
        code = values.get(self.park_column) or ""
        park = self.parks.get(code)
        if park is None:
            raise ValidationError(
                {self.park_column: _("unknown park code, or a park you do not manage: %(code)s") % {"code": code}}
            )
        return park

    def field_values(self, values) -> dict:
        result = {}
        for column, name in self.fields.items():
            value = values.get(column)
            model_field = self.model._meta.get_field(name)
            if value is None and not model_field.null:
                value = model_field.get_default() if model_field.has_default() else ""
            result[name] = value
        return result

    def build(self, values, result):
        park = self.park(values)
        data = self.field_values(values)
        data.update(self.related(values))
        key = (park.pk, *(_key_value(data[name]) for name in self.key_fields))
        instance = self.existing.get(key)
        if instance is None:
            instance = self.model(park=park, **data)
            result.status = NEW
        else:
            changed = [name for name, value in data.items() if _plain_key(instance, name) != _key_value(value)]
            for name in changed:
                setattr(instance, name, data[name])
            result.status = UPDATED if changed else UNCHANGED
        self.extra_checks(instance, values)
        result.instance = instance
        result.label = str(instance)

    def related(self, values) -> dict:
        return {}

    def extra_checks(self, instance, values) -> None:
        pass

    def save(self, results):
        from simple_history.utils import bulk_create_with_history, bulk_update_with_history

        from risks.engine import request_evaluation

        new = [row.instance for row in results if row.status == NEW]
        updated = [row.instance for row in results if row.status == UPDATED]
        for instance in new + updated:
            self.before_save(instance)
        if new:
            bulk_create_with_history(new, self.model, batch_size=1000, default_user=self.actor)
        if updated:
            fields = sorted({*self.fields.values(), *self.related_fields()})
            bulk_update_with_history(updated, self.model, fields, batch_size=1000, default_user=self.actor)
        for park_id in {instance.park_id for instance in new + updated}:
            request_evaluation(park_id)

    def related_fields(self) -> list[str]:
        return []

    def before_save(self, instance) -> None:
        pass


def _plain_key(obj, name: str):
    field = obj._meta.get_field(name)
    return getattr(obj, field.attname)


def _key_value(value):
    return value.pk if hasattr(value, "_meta") else value

"""Reading an uploaded file into rows (.xlsx or CSV, UTF-8 or GBK), bounded in rows, time and unpacked
size; ``FileRefused`` says, in Chinese, what is wrong with the file as a whole."""

from __future__ import annotations

import contextlib
import csv
import io
import time
import zipfile
from collections.abc import Iterator

from django.conf import settings
from django.utils.translation import gettext as _

from .import_cells import Column, parse_text


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


@contextlib.contextmanager
def open_table(name: str, data: bytes, columns: list[Column], sheet_title: str) -> Iterator[Iterator[tuple[int, dict]]]:
    """The file's rows as (row number, {column key: raw value}), read one by one as they are asked for:
    memory follows the rows being checked, not the file. FileRefused for what is wrong with the file as
    a whole: at once for its kind, its archive and its header row; while reading for its length.

    Reading is bounded: no more than ``IMPORT_MAX_ROWS`` rows are read (blank ones count: a sheet can
    declare a million empty rows), and reading stops after ``IMPORT_READ_MAX_SECONDS`` spent reading (not
    checking); a workbook is first checked unopened (``check_archive``)."""
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
        positions = _positions(next(raw_rows, []), columns)
        yield _read_rows(raw_rows, positions)
    finally:
        raw_rows.close()  # a workbook left half-read is closed now, not when garbage is collected


def _positions(header_row: list, columns: list[Column]) -> dict[str, int]:
    """Where each expected column is in the header row."""
    header = [parse_text(cell) for cell in header_row]
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
    return {c.key: header.index(c.header) for c in columns if c.header in header}


def _read_rows(raw_rows: Iterator[list], positions: dict[str, int]) -> Iterator[tuple[int, dict]]:
    budget, reading, number, found = settings.IMPORT_READ_MAX_SECONDS, 0.0, 1, False
    while True:
        started = time.monotonic()
        raw = next(raw_rows, None)
        reading += time.monotonic() - started
        if raw is None:
            break
        number += 1
        if number - 1 > settings.IMPORT_MAX_ROWS:
            raise FileRefused(
                _("The file has more than %(limit)d rows; split it into smaller files.")
                % {"limit": settings.IMPORT_MAX_ROWS}
            )
        if reading >= budget:
            raise FileRefused(
                _("Reading the file took longer than %(seconds)d seconds; split it into smaller files.")
                % {"seconds": settings.IMPORT_READ_MAX_SECONDS}
            )
        if all(parse_text(cell) == "" for cell in raw):
            continue
        found = True
        yield number, {key: (raw[index] if index < len(raw) else None) for key, index in positions.items()}
    if not found:
        raise FileRefused(_("The file has a header row but no data."))


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


def has_more_rows_than(name: str, data: bytes, limit: int) -> bool:
    """Whether the file has more than ``limit`` rows besides its header, found without reading it (see
    ``rows_in``)."""
    return rows_in(name, data, limit) > limit


def rows_in(name: str, data: bytes, limit: int) -> int:
    """The rows of the file besides its header, counted without reading it, and only up to ``limit`` + 1:
    the lines of a CSV, the ``<row`` elements of the largest sheet of a workbook. Blank rows count; a
    file that is not what its name says has 0 (read, it is refused with the reason)."""
    if name.lower().endswith(".csv"):
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        return min(max(lines - 1, 0), limit + 1)
    if not _looks_like_xlsx(data):
        return 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_archive(archive)
            sheets = [info for info in archive.infolist() if info.filename.startswith("xl/worksheets/")]
            return max((_xml_rows(archive, sheet, limit + 2) - 1 for sheet in sheets), default=0)
    except (zipfile.BadZipFile, FileRefused):
        return 0


def _xml_rows(archive: zipfile.ZipFile, sheet: zipfile.ZipInfo, limit: int) -> int:
    """The rows of the sheet's XML, decompressed only as far as needed to count ``limit`` of them."""
    rows, tail = 0, b""
    with archive.open(sheet) as part:
        while chunk := part.read(1024 * 1024):
            text = tail + chunk
            rows += text.count(b"<row ") + text.count(b"<row>")
            tail = text[-5:]  # a tag cut by the chunk boundary is counted once, in the next chunk
            rows -= tail.count(b"<row ") + tail.count(b"<row>")
            if rows >= limit:
                return limit
    return rows + tail.count(b"<row ") + tail.count(b"<row>")

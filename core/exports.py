"""Exports of any list: exactly the rows the user sees under the current filters and scope.

Columns are defined once, by each list's column declaration (core.columns; the app's ``columns.py``),
turned into django-import-export ``Resource`` classes (``resources.py``) for the admin's button too; rows are
written streaming — XlsxWriter in ``constant_memory`` mode, the queryset read in chunks as value tuples
whenever the database can give every column (``export_values``) — so 100,000 rows stay fast and small.
Dates are real Excel dates, money real numbers with two decimals, choices their Chinese labels. When an
export would write more than ``EXPORT_DIRECT_MAX_ROWS`` rows over all its sheets, a Celery task writes
the file and the user is told where to download it.
"""

from __future__ import annotations

import csv
import datetime
import io
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import xlsxwriter
from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from .db_router import reporting_db
from .export_values import sheet_values

REGISTRY: dict[str, type] = {}


def exportable(name: str):
    """Register a list view (a FilteredListView with ``export_sheets``) under ``name`` for the task."""

    def decorate(view_class):
        view_class.export_name = name
        REGISTRY[name] = view_class
        return view_class

    return decorate


@dataclass
class Sheet:
    title: str
    resource_class: type
    rows: Callable[[models.QuerySet], Iterable] = field(default=lambda queryset: queryset)
    hidden_unless: Callable | None = None  # (user) -> bool: columns named in resource.IDENTITY hidden otherwise
    only: list[str] | None = None  # column names chosen in the admin's export form; None: all


def export_fields(sheet: Sheet, user) -> list:
    resource = sheet.resource_class()
    fields = list(resource.get_export_fields(sheet.only))
    identity = set(getattr(resource, "IDENTITY", ()))
    if identity and not (sheet.hidden_unless and sheet.hidden_unless(user)):
        fields = [f for f in fields if f.attribute not in identity and f.column_name not in identity]
    return fields


#: What a spreadsheet reads as the start of a formula (OWASP, "CSV injection"); tab and CR because
#: spreadsheets strip them before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value):
    """A text cell a spreadsheet would run as a formula (``=HYPERLINK(…)``, ``+cmd|…``) gets a leading
    single quote, so that it is shown, not run. Only text: numbers and dates are not ``str`` here
    (they are formatted after this), so a negative amount stays ``-12.50``. Every CSV cell passes here."""
    if type(value) is str and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value):
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _cell_writer(worksheet, *, money, date, stamp):
    """One call per cell, typed: text, money with two decimals, real dates, local times, 是/否."""
    write_string, write_number, write_datetime = (
        worksheet.write_string,
        worksheet.write_number,
        worksheet.write_datetime,
    )
    yes, no = _("Yes"), _("No")
    combine, midnight = datetime.datetime.combine, datetime.time()
    zone = timezone.get_current_timezone()

    def put(row_number, column, value):
        kind = type(value)
        if kind is str:
            write_string(row_number, column, value)
        elif kind is Decimal:
            write_number(row_number, column, float(value), money)
        elif kind is bool:
            write_string(row_number, column, yes if value else no)
        elif kind is datetime.date:
            write_datetime(row_number, column, combine(value, midnight), date)
        elif kind is datetime.datetime:
            local = value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value
            write_datetime(row_number, column, local, stamp)
        elif kind is int or kind is float:
            write_number(row_number, column, value)
        else:
            write_string(row_number, column, str(_plain(value)))

    return put


def write_xlsx(target, sheets: list[tuple[Sheet, Iterable]], user) -> int:
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "tmpdir": tempfile.gettempdir(), "strings_to_numbers": False}
    )
    bold = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    stamp = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    money = workbook.add_format({"num_format": "#,##0.00"})
    total = 0
    for sheet, rows in sheets:
        worksheet = workbook.add_worksheet(str(sheet.title)[:31])
        fields = export_fields(sheet, user)
        for column, export_field in enumerate(fields):
            worksheet.write_string(0, column, str(export_field.column_name), bold)
            worksheet.set_column(column, column, max(10, min(40, len(str(export_field.column_name)) * 2 + 4)))
        worksheet.freeze_panes(1, 0)
        put = _cell_writer(worksheet, money=money, date=date, stamp=stamp)

        row_number = 0
        for row_number, row in enumerate(sheet_values(rows, [f.attribute for f in fields]), start=1):
            for column, value in enumerate(row):
                if value is None or value == "":
                    continue
                put(row_number, column, value)
        total += row_number
    workbook.close()
    return total


def write_csv(target, sheet: Sheet, rows: Iterable, user) -> int:
    """One sheet as CSV, UTF-8 with a byte-order mark so that Excel opens the Chinese correctly. Text
    that would run as a formula is neutralised (``spreadsheet_text``); the xlsx writer needs no such
    care, as it writes text with ``write_string``, which Excel never evaluates."""
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    fields = export_fields(sheet, user)
    writer.writerow([str(f.column_name) for f in fields])
    count = 0
    for row in sheet_values(rows, [f.attribute for f in fields]):
        values = []
        for value in row:
            value = spreadsheet_text(_plain(value))
            if isinstance(value, datetime.datetime):
                value = value.strftime("%Y-%m-%d %H:%M")
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            elif isinstance(value, Decimal):
                value = f"{value:.2f}"
            values.append("" if value is None else value)
        writer.writerow(values)
        count += 1
    text.flush()
    text.detach()
    return count


@reporting_db()
def build(view, fmt: str, target) -> int:
    """Write the export of a list view's current queryset (scope + filters) into ``target``."""
    queryset = view.get_queryset()
    user = view.request.user
    return write(target, fmt, [(sheet, sheet.rows(queryset)) for sheet in view.export_sheets], user)


def rows_to_write(view, fmt: str, limit: int) -> int:
    """How many rows the export of ``view`` as ``fmt`` would write, over every sheet it writes (a
    subsidy's payments too), counted only up to ``limit + 1``: enough to tell whether it is over ``limit``,
    at a cost that does not grow with the table."""
    queryset = view.get_queryset()
    sheets = view.export_sheets[:1] if fmt == "csv" else view.export_sheets
    total = 0
    for sheet in sheets:
        rows = sheet.rows(queryset)
        left = limit + 1 - total
        total += rows[:left].count() if isinstance(rows, models.QuerySet) else len(rows)
        if total > limit:
            break
    return total


@reporting_db()
def write(target, fmt: str, sheets: list[tuple[Sheet, Iterable]], user) -> int:
    """Write ``sheets`` as ``fmt`` ("csv": the first sheet only, or "xlsx") into ``target``: the one
    writer of the pages' exports, the Celery task's and the Django admin's export button. Reads from the
    replica when there is one (core.db_router)."""
    if fmt == "csv":
        first, rows = sheets[0]
        return write_csv(target, first, rows, user)
    return write_xlsx(target, sheets, user)


def view_for(name: str, user, query: str, kwargs: dict | None = None):
    """Rebuild a registered list view for ``user``, the query string and the URL's arguments (``kwargs``:
    a list of one campaign's findings names the campaign), as the page would (for the task)."""
    request = HttpRequest()
    request.user = user
    request.GET = QueryDict(query)
    request.method = "GET"
    view = REGISTRY[name]()
    view.setup(request, **(kwargs or {}))
    return view


def filename(view, fmt: str) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{view.export_sheets[0].title}-{stamp}.{fmt}"


# --- Large exports, written by a worker ----------------------------------------------------------------

CONTENT_TYPES = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def export_request(*, user, name: str, query: str, fmt: str, kwargs: dict | None = None):
    """Record a large export for ``user`` and send it to a worker once the request commits."""
    from .models import ExportFile
    from .tasks import enqueue_on_commit, export_list

    export = ExportFile.objects.create(
        user=user, list_name=name, query=query, view_kwargs=kwargs or {}, fmt=fmt, original_name="",
        content_type=CONTENT_TYPES[fmt],
    )  # fmt: skip
    enqueue_on_commit(export_list, export.pk, export.attempt)
    return export


def export_retry(*, user, export) -> bool:
    """Ask again for an export that failed or whose worker died: a new attempt, so that a redelivered
    message of the old one finds nothing to do. False when it is not (or no longer) retryable."""
    from django.conf import settings
    from django.db.models import F, Q

    from .models import ExportFile
    from .tasks import enqueue_on_commit, export_list

    stale_before = timezone.now() - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    S = ExportFile.Status
    retried = (
        ExportFile.objects.filter(pk=export.pk, user=user, attempt=export.attempt)
        .filter(
            Q(status=S.FAILED)
            | Q(status__in=[S.PENDING, S.RUNNING], heartbeat_at__lt=stale_before)
            | Q(status__in=[S.PENDING, S.RUNNING], heartbeat_at__isnull=True, uploaded_at__lt=stale_before)
        )
        .update(status=S.PENDING, attempt=F("attempt") + 1, heartbeat_at=None, uploaded_at=timezone.now())
    )
    if retried:
        enqueue_on_commit(export_list, export.pk, export.attempt + 1)
    return bool(retried)


class Heartbeat:
    """Beats ``heartbeat_at`` of the rows of ``claimed`` (a queryset: the row, for this attempt, while it
    runs) from a thread of its own, every EXPORT_HEARTBEAT_SECONDS; dies with the worker. Large exports
    and import jobs use it."""

    def __init__(self, claimed):
        import threading

        from django.conf import settings

        self.claimed, self.every = claimed, settings.EXPORT_HEARTBEAT_SECONDS
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self):
        from django.db import connection

        try:
            while not self.stopped.wait(self.every):
                self.claimed.update(heartbeat_at=timezone.now())
        finally:
            connection.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join()


def _export_claim(export_id: int, attempt: int) -> bool:
    """Take the export for this attempt: pending, or running with a heartbeat that stopped (its worker died)."""
    from django.conf import settings
    from django.db.models import Q

    from .models import ExportFile

    S = ExportFile.Status
    now = timezone.now()
    stale_before = now - datetime.timedelta(seconds=settings.EXPORT_STALE_SECONDS)
    claimed = (
        ExportFile.objects.filter(pk=export_id, attempt=attempt)
        .filter(Q(status=S.PENDING) | Q(status=S.RUNNING, heartbeat_at__lt=stale_before))
        .update(status=S.RUNNING, heartbeat_at=now)
    )
    return bool(claimed)


def export_run(*, export_id: int, attempt: int) -> int | None:
    """Write export ``export_id`` for ``attempt`` (the Celery task's body). Claims the row first: a second
    delivery of the same message (acks_late after a worker died) runs only if the first stopped beating,
    and one of a superseded attempt not at all. The file is attached, the row made ready and the inbox
    told in one transaction, after the file is complete. Returns the rows written, or None if not run."""
    import logging

    from django.core.files import File
    from django.db import transaction

    from .models import ExportFile
    from .notifications import notify

    S = ExportFile.Status
    if not _export_claim(export_id, attempt):
        return None
    export = ExportFile.objects.select_related("user").get(pk=export_id)
    try:
        view = view_for(export.list_name, export.user, export.query, export.view_kwargs)
        with (
            tempfile.TemporaryFile() as target,
            Heartbeat(ExportFile.objects.filter(pk=export_id, attempt=attempt, status=S.RUNNING)),
        ):
            rows = build(view, export.fmt, target)
            size = target.seek(0, 2)
            target.seek(0)
            name = filename(view, export.fmt)
            # Stored under a name of this attempt's own; the row points at it only once it is complete.
            stored = export.file.storage.save(f"exports/{export.user_id}/{export_id}-{attempt}/{name}", File(target))
    except Exception:
        logging.getLogger(__name__).exception("export %s attempt %s failed", export_id, attempt)
        ExportFile.objects.filter(pk=export_id, attempt=attempt, status=S.RUNNING).update(
            status=S.FAILED, finished_at=timezone.now()
        )
        notify(
            export.user,
            kind="export_failed",
            title=_("Your export could not be written; you can ask for it again."),
            link=export.get_status_url(),
        )
        return None
    with transaction.atomic():
        done = ExportFile.objects.filter(pk=export_id, attempt=attempt, status=S.RUNNING).update(
            status=S.READY, file=stored, original_name=name, size=size, rows=rows, finished_at=timezone.now()
        )
        if done:
            notify(
                export.user,
                kind="export_ready",
                title=_("Your export is ready: %(name)s (%(rows)d rows)") % {"name": name, "rows": rows},
                link=export.get_absolute_url(),
            )
    if not done:  # a newer attempt took over meanwhile: this file is nobody's
        export.file.storage.delete(stored)
        return None
    return rows

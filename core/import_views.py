"""The import pages: templates to download, upload and preview, confirm."""

from __future__ import annotations

import io
import uuid

import xlsxwriter
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import StyledFormMixin
from .import_files import has_more_rows_than
from .import_jobs import BROKER_DOWN, SENT, broker_down_message, import_job_confirm, import_job_retry, import_job_start
from .imports import REGISTRY, Report, autodiscover, check, run
from .models import ImportJob
from .uploads import private_storage

SESSION_KEY = "pending_imports"
# The 403 page's reason (core sits below accounts, so the sentence lives here, not in accounts.refusals).
NOT_AN_IMPORTER = gettext_lazy(
    "Your role does not import ledgers: commission administrators and park officers do (inspectors import enterprises)."
)


class UploadForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=gettext_lazy("File (.xlsx or .csv)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(
                gettext_lazy("The file is larger than %(limit)d MB; split it into smaller files.")
                % {"limit": settings.IMPORT_MAX_MB}
            )
        return upload


def _importer(name: str, user):
    importer_class = REGISTRY.get(name)
    if importer_class is None:
        raise Http404
    if not importer_class.permission(user):
        raise PermissionDenied(NOT_AN_IMPORTER)
    return importer_class(user)


@login_required
def index(request):
    importers = [cls for cls in autodiscover().values() if cls.permission(request.user)]
    if not importers:
        raise PermissionDenied(NOT_AN_IMPORTER)
    return render(request, "imports/index.html", {"importers": importers, "form": UploadForm()})


@login_required
def template(request, name: str):
    autodiscover()
    importer = _importer(name, request.user)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
    sheet = book.add_worksheet(str(importer.title))
    for column, spec in enumerate(importer.columns):
        sheet.write_string(0, column, spec.header, bold)
        sheet.write(1, column, spec.example)
        sheet.set_column(column, column, max(12, len(spec.header) * 2 + 4))
    notes = book.add_worksheet(_("Notes"))
    lines = [
        _("Keep the header row as it is; the example row may be overwritten or deleted."),
        _("Yes/no columns: 是 or 否. Dates: 2026-03-01, 2026/3/1 or an Excel date. Amounts: 1,234.50 or ¥1234.5."),
        _("Rows are matched on their natural key: importing the same file again changes nothing."),
        _("Nothing is saved until you have seen the preview and confirmed; then every row is saved, or none."),
    ]
    for row, line in enumerate(lines):
        notes.write_string(row, 0, line)
    notes.set_column(0, 0, 110)
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    from django.utils.http import content_disposition_header

    response["Content-Disposition"] = content_disposition_header(
        True, _("%(ledger)s import template.xlsx") % {"ledger": importer.title}
    )
    return response


@login_required
def upload(request, name: str):
    autodiscover()
    importer = _importer(name, request.user)
    if request.method != "POST":
        return redirect("imports:index")
    if "token" in request.POST:
        return _confirm(request, name, importer)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request, "imports/index.html", {"importers": [type(importer)], "form": form, "failed": name}, status=200
        )
    upload = form.cleaned_data["file"]
    data = upload.read()
    if has_more_rows_than(upload.name, data, settings.IMPORT_DIRECT_MAX_ROWS):
        return _start_job(request, importer, upload.name, data)
    report = check(importer, upload.name, data)
    token = None
    if report.ok:
        token = uuid.uuid4().hex
        path = private_storage().save(f"imports/{token}", ContentFile(data))
        pending = request.session.get(SESSION_KEY, {})
        pending[token] = {"name": name, "filename": upload.name, "path": path}
        request.session[SESSION_KEY] = pending
    return render(
        request,
        "imports/preview.html",
        _preview(importer, report, upload.name, token),
    )


def _confirm(request, name, importer):
    """Save a previewed file. Posting the same confirmation again is safe: the stored file is removed
    only once its import has committed, so a confirmation whose worker died before the commit (nothing
    saved: one transaction) runs again, and one that committed finds no file and says so."""
    pending = request.session.get(SESSION_KEY, {})
    entry = pending.pop(request.POST["token"], None)
    request.session[SESSION_KEY] = pending
    if entry is None or entry["name"] != name:
        messages.error(request, _("This preview has expired; upload the file again."))
        return redirect("imports:index")
    storage = private_storage()
    try:
        with storage.open(entry["path"], "rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        messages.warning(
            request,
            _(
                "This confirmation was already used or has expired: nothing more was imported. Check the "
                "ledger; to import the file again, upload it again."
            ),
        )
        return redirect("imports:index")
    report = run(importer, entry["filename"], data)
    storage.delete(entry["path"])  # committed, or refused by the check: either way it is done with
    if not report.ok:
        return render(request, "imports/preview.html", _preview(importer, report, entry["filename"], None))
    messages.success(
        request,
        _(
            "Imported: %(new)d new, %(updated)d updated, %(unchanged)d unchanged. The alert rules are checking the new data."
        )
        % {"new": report.count("new"), "updated": report.count("updated"), "unchanged": report.count("unchanged")},
    )
    for note in importer.notes():
        messages.info(request, note)
    return redirect(importer.done_url)


def _start_job(request, importer, filename, data):
    job, sent = import_job_start(importer=importer, filename=filename, data=data)
    if sent == SENT:
        messages.info(
            request,
            _(
                "The file has more than %(rows)d rows: it is being checked in the background. This page shows "
                "how far it got; you may leave it, your inbox will say when the check is done."
            )
            % {"rows": settings.IMPORT_DIRECT_MAX_ROWS},
        )
    return redirect(job)


@login_required
def job_page(request, pk: int):
    """A large import, for the user who uploaded it only: how far the worker got, then the preview to
    confirm (the same as a small file's), then what was imported."""
    job = get_object_or_404(ImportJob, pk=pk, user=request.user)
    autodiscover()
    importer = _importer(job.importer, request.user)
    if request.method == "POST":
        if "retry" in request.POST:
            outcome = import_job_retry(user=request.user, job=job)
        else:
            outcome = import_job_confirm(user=request.user, job=job)
        if outcome == BROKER_DOWN:
            messages.error(request, broker_down_message())
        return redirect(job)
    if job.status in (ImportJob.Status.CHECKED, ImportJob.Status.DONE):
        context = _preview(importer, Report.from_json(job.report), job.original_name, None)
        return render(request, "imports/preview.html", {**context, "job": job})
    return render(request, "imports/job.html", {"importer": importer, "job": job})


@login_required
def job_status(request, pk: int):
    """How far a large import got, as JSON, for its page to show (static/js/portal.js asks every 2 s)."""
    job = get_object_or_404(ImportJob.objects.defer("report"), pk=pk, user=request.user)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_total": job.rows_total,
            "rows_checked": job.rows_checked,
            "running": job.status in ImportJob.RUNNING and not job.is_stale,
        }
    )


def _preview(importer, report, filename, token) -> dict:
    counts = {status: report.count(status) for status in ("new", "updated", "unchanged", "error")}
    return {
        "importer": importer,
        "report": report,
        "token": token,
        "filename": filename,
        "shown": report.rows,
        "counts": counts,
    }

import tempfile

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.db import connection
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.generic import ListView

from .forms import style_form
from .http import error_response
from .pagination import PortalPaginator, search_count_cap


def posted_id(request, name: str) -> int | None:
    """The id of an object chosen in a posted form; anything but digits finds nothing (a 404, not a 500)."""
    value = request.POST.get(name, "").strip()
    return int(value) if value.isdigit() else None


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Every object a view shows comes from ``visible_to``; whatever is outside is a 404."""

    model = None
    select_related: tuple[str, ...] = ()

    def get_queryset(self):
        queryset = self.model.objects.visible_to(self.request.user)
        if self.select_related:
            queryset = queryset.select_related(*self.select_related)
        return queryset


class FilteredListView(ScopedQuerysetMixin, ListView):
    """A scoped list filtered by the model's FilterSet (the same class the API uses), paginated, and
    exported as it is shown with ``?export=xlsx`` or ``?export=csv`` when it has ``export_sheets``."""

    filterset_class = None
    paginate_by = settings.PORTAL_PAGE_SIZE
    paginator_class = PortalPaginator
    export_sheets: list = []
    export_name = ""

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in ("xlsx", "csv") and self.export_sheets:
            return self.export(fmt)
        return super().get(request, *args, **kwargs)

    def export(self, fmt):
        from django.contrib import messages
        from django.http import FileResponse
        from django.shortcuts import redirect
        from django.utils.translation import gettext as _

        from .db_router import reporting_db
        from .exports import build, export_request, filename, rows_to_write

        query = self.request.GET.copy()
        query.pop("export", None)
        query.pop("page", None)
        limit = settings.EXPORT_DIRECT_MAX_ROWS
        with reporting_db():
            count = rows_to_write(self, fmt, limit)
        if count > limit and self.export_name:
            export = export_request(
                user=self.request.user, name=self.export_name, query=query.urlencode(), fmt=fmt, kwargs=self.kwargs
            )
            messages.info(
                self.request,
                _("More than %(count)d rows: the file is being prepared; you will find the link in your inbox.")
                % {"count": limit},
            )
            return redirect(export.get_status_url())  # where it stands, and a retry should its worker die
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it once sent
        build(self, fmt, target)
        target.seek(0)
        content_type = (
            "text/csv; charset=utf-8"
            if fmt == "csv"
            else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        return FileResponse(target, as_attachment=True, filename=filename(self, fmt), content_type=content_type)

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        kwargs["count_cap"] = search_count_cap(self.request.GET)
        return super().get_paginator(queryset, per_page, orphans, allow_empty_first_page, **kwargs)

    def get_base_queryset(self):
        return super().get_queryset()

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        style_form(self.filterset.form, small=True)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


def healthz(request):
    """For load balancers and monitoring: 200 when the database and the cache answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        cache.set("healthz", "ok", 5)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: no round trip"
    except Exception as exc:
        checks["cache"] = f"error: {exc.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(checks, status=200 if healthy else 503)


def bench_bare(request):
    """The benchmark's baseline (routed only with PORTAL_BENCH): the whole middleware stack, no work."""
    return HttpResponse(b"ok", content_type="text/plain")


def favicon(request):
    """Browsers ask for /favicon.ico before reading any page (and for downloads, PDFs, the admin); the
    pages themselves link the SVG. Served from the source folder, which every deployment has."""
    icon = settings.BASE_DIR / "static" / "favicon.ico"
    response = FileResponse(icon.open("rb"), content_type="image/vnd.microsoft.icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


def csrf_failure(request, reason=""):
    from django.shortcuts import render

    return render(request, "403_csrf.html", status=403)


class NotFoundWithMessage(Http404):
    """A 404 whose message is meant for the visitor (other 404s show a generic text)."""

    def __init__(self, message):
        super().__init__(message)
        self.public_message = message


def _is_api(request) -> bool:
    """An API caller gets the API's JSON error shape, never an HTML page (the schema promises JSON)."""
    return request.path.startswith("/api/")


def page_not_found(request, exception=None):
    from django.shortcuts import render

    if _is_api(request):
        return error_response(status=404, code="not_found", detail=_("Not found."))
    message = getattr(exception, "public_message", None)
    return render(request, "404.html", {"message": message}, status=404)


def bad_request(request, exception=None):
    from django.core.exceptions import RequestDataTooBig
    from django.shortcuts import render

    message = _("The request body is too large.") if isinstance(exception, RequestDataTooBig) else None
    if _is_api(request):
        return error_response(status=400, code="bad_request", detail=message or _("The request is not valid."))
    return render(request, "400.html", {"message": message}, status=400)


def server_error(request):
    from django.shortcuts import render

    if _is_api(request):
        return error_response(status=500, code="server_error", detail=_("A server error occurred."))
    return render(request, "500.html", status=500)


def export_download(request, pk):
    """A large export, for the user who asked for it only, once it is complete."""
    from django.http import Http404
    from django.shortcuts import get_object_or_404, redirect

    from .models import ExportFile
    from .uploads import attachment_response

    if not request.user.is_authenticated:
        raise Http404
    export = get_object_or_404(ExportFile, pk=pk, user=request.user)
    if export.status != ExportFile.Status.READY:  # never a file that is not complete
        return redirect("export-status", pk=pk)
    return attachment_response(export)


def export_status(request, pk):
    """Where a large export stands, for the user who asked for it; one that failed or whose worker died
    can be asked for again here."""
    from django.contrib import messages
    from django.http import Http404
    from django.shortcuts import get_object_or_404, redirect, render
    from django.utils.translation import gettext as _

    from .exports import export_retry
    from .models import ExportFile

    if not request.user.is_authenticated:
        raise Http404
    export = get_object_or_404(ExportFile, pk=pk, user=request.user)
    if export.status == ExportFile.Status.READY:
        return redirect("export-download", pk=pk)
    if request.method == "POST":
        if export_retry(user=request.user, export=export):
            messages.success(request, _("The export is being written again; you will find the link in your inbox."))
        else:
            messages.info(request, _("The export is still being written; there is nothing to retry."))
        return redirect("export-status", pk=pk)
    return render(request, "exports/status.html", {"export": export})

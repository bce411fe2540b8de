"""Requests refused before any view sees them, with a clear answer in Chinese instead of a 500:

- a body larger than anything the portal accepts: 413, decided on ``Content-Length`` before one byte of
  the body is read (``RequestSizeLimitMiddleware``);
- a NUL character anywhere in what the request says — path, query, cookies, form fields, file names:
  PostgreSQL text cannot hold one, so it would fail deep inside a query (``NulCharacterMiddleware``).
  JSON bodies are checked by the API's parser (``core.parsers.JSONParser``).

API addresses answer in the API's error shape, pages with the 400 page.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from .http import error_response

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refusal(request: HttpRequest, *, status: int, code: str, message: str) -> HttpResponse:
    """The answer to a request refused as a whole: JSON under /api/, the 400 page elsewhere."""
    if request.path_info.startswith(reverse("api-root")):
        return error_response(status=status, code=code, detail=message)
    return render(request, "400.html", {"message": message}, status=status)


def too_large_message() -> str:
    return _("The request is larger than %(limit)d MB, more than anything the portal accepts.") % {
        "limit": settings.REQUEST_MAX_MB
    }


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is larger than ``REQUEST_MAX_MB`` before reading it.

    Without this Django reads (and spools to disk) the whole body of a multipart upload before any form
    can say the file is too large. The proxy in front should refuse the same size (nginx:
    ``client_max_body_size``); this is the guard when it does not.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        declared = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(declared)
        except ValueError:
            length = -1
        if length < 0:
            return refusal(request, status=400, code="bad_request", message=_("The request is malformed."))
        if length > settings.REQUEST_MAX_MB * 1024 * 1024:
            return refusal(request, status=413, code="request_too_large", message=too_large_message())
        return self.get_response(request)


def _has_nul(pairs) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


class NulCharacterMiddleware:
    """Refuses (400) a request with a NUL character in its path, query string, cookies or form data.

    One place instead of every query: Django's text form fields refuse NUL already, but a choice, a
    lookup by code, a session cookie or a view reading ``request.POST`` would pass it to PostgreSQL,
    which answers with an error (a 500). Sits before the session middleware, which looks the session
    cookie up in the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            return refusal(
                request,
                status=400,
                code="nul_character",
                message=_("The request contains a NUL character (\\0), which cannot be stored; remove it."),
            )
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if NUL in request.path_info or _has_nul(request.GET.lists()):
            return True
        if any(NUL in key or NUL in value for key, value in request.COOKIES.items()):
            return True
        if request.method == "POST" and request.content_type in FORM_CONTENT_TYPES:
            # The CSRF check reads request.POST for these requests anyway: nothing is read twice.
            if _has_nul(request.POST.lists()):
                return True
            return any(NUL in (upload.name or "") for upload in request.FILES.values())
        return False

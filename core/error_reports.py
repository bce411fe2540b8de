"""The e-mail that tells ``ADMINS`` about a server error (Django's ``AdminEmailHandler``), without personal
data: who complained, phones, e-mail addresses, tracking codes (typed, or carried in the receipt cookie),
passwords. Wired by ``DEFAULT_EXCEPTION_REPORTER_FILTER`` and ``DEFAULT_EXCEPTION_REPORTER``.

- Form fields, query parameters and frame variables with a personal or secret name are hidden
  (``core.redact.PERSONAL_NAME``); on the complaint pages (``ERROR_REPORT_PRIVATE_PATHS``) the whole
  request body is, whatever the fields are called.
- Every cookie value is hidden (the session, the CSRF token and the receipt cookie holding a tracking code).
- Last, the finished report is scrubbed of phone numbers, e-mail addresses and tracking codes wherever
  they still appear (an exception message, the URL).
"""

from __future__ import annotations

from django.conf import settings
from django.http import QueryDict
from django.utils import log
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from .redact import FILTERED, is_personal_name, scrub_text


def _private_path(request) -> bool:
    path = getattr(request, "path_info", "") or ""
    return any(path.startswith(prefix) for prefix in settings.ERROR_REPORT_PRIVATE_PATHS)


def _hide(request, items: QueryDict, *, everything: bool) -> QueryDict:
    hidden = items.copy()
    for key in hidden:
        if everything or is_personal_name(key):
            hidden.setlist(key, [FILTERED])
    return hidden


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    cleansed_substitute = FILTERED

    def is_active(self, request) -> bool:
        return True  # personal data stays out of reports under DEBUG too

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return _hide(request, super().get_post_parameters(request), everything=_private_path(request))

    def get_cleansed_multivaluedict(self, request, multivaluedict):
        return _hide(request, multivaluedict, everything=_private_path(request))

    def get_safe_query(self, request) -> QueryDict:
        return _hide(request, request.GET, everything=False)

    def get_safe_cookies(self, request) -> dict:
        return dict.fromkeys(getattr(request, "COOKIES", {}), FILTERED)

    def get_safe_request_meta(self, request) -> dict:
        meta = super().get_safe_request_meta(request)
        for key in meta:
            if key in ("QUERY_STRING", "HTTP_REFERER", "REMOTE_ADDR", "HTTP_X_FORWARDED_FOR") or is_personal_name(key):
                meta[key] = FILTERED
        return meta

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, FILTERED if is_personal_name(name) else value) for name, value in variables]


class ScrubbingExceptionReporter(ExceptionReporter):
    """Django's report with the query parameters filtered too and every text scrubbed at the end."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None and hasattr(self.filter, "get_safe_query"):
            data["request_GET_items"] = self.filter.get_safe_query(self.request).items()
        return data

    def get_traceback_text(self):
        return scrub_text(super().get_traceback_text())

    def get_traceback_html(self):
        return scrub_text(super().get_traceback_html())


class AdminEmailHandler(log.AdminEmailHandler):
    """Django's handler, with the subject and the log line of the mail scrubbed as well."""

    def format_subject(self, subject):
        return super().format_subject(scrub_text(subject))

    def format(self, record):
        return scrub_text(super().format(record))

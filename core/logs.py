"""Log records for operators: every record carries the request id (``core.request_id``); production
writes one JSON object per line (``LOG_FORMAT=json``), which log collectors read without parsing rules.
Phone numbers, e-mail addresses and tracking codes that reach a line anyway (an exception message) are
scrubbed (``core.redact``). Loaded by the logging configuration before Django is set up: no Django here."""

from __future__ import annotations

import datetime
import json
import logging

from .redact import scrub_text
from .request_id import current

# Attributes every LogRecord has; anything else on a record was passed in ``extra=`` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


_PLAIN = (str, int, float, bool, type(None))


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current.get()
        return True


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "request_id", …extra, "exception"}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub_text(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or current.get(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            # Plain values passed in ``extra=`` (status_code, …); never an object such as Django's ``request``,
            # whose text would carry the query string.
            if key not in _STANDARD and not key.startswith("_") and isinstance(value, _PLAIN):
                entry.setdefault(key, value)
        if record.exc_info:
            entry["exception"] = scrub_text(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = scrub_text(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class PlainFormatter(logging.Formatter):
    """The text format (development, LOG_FORMAT=plain), scrubbed like the JSON lines."""

    def format(self, record: logging.LogRecord) -> str:
        return scrub_text(super().format(record))

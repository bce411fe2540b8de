"""The API's JSON parser (the default of REST_FRAMEWORK): DRF's, refusing in Chinese what would otherwise be
a 500 or a database error further on."""

from __future__ import annotations

import json

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.utils.json import strict_constant

from .middleware import NUL


class JSONParser(parsers.JSONParser):
    """JSON nested deeper than Python can parse (a RecursionError) and NUL characters anywhere, which
    PostgreSQL text cannot hold, are a 400 like any malformed JSON, with the reason in Chinese.

    DRF hands this parser ``request.body``, so Django's ``DATA_UPLOAD_MAX_MEMORY_SIZE`` bounds what is
    read (core.api.exception_handler answers 413 past it)."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read()
        encoding = parsers.get_encoding(parser_context or {})
        try:
            data = json.loads(body.decode(encoding), parse_constant=strict_constant if self.strict else None)
        except RecursionError as error:
            raise exceptions.ParseError(_("The JSON is nested too deeply.")) from error
        except json.JSONDecodeError as error:
            raise exceptions.ParseError(
                _("The request body is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": error.lineno, "column": error.colno}
            ) from error
        except ValueError as error:  # not in the declared encoding, NaN or Infinity
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from error
        if _contains_nul(data):
            raise exceptions.ParseError(
                _("The request contains a NUL character (\\0), which cannot be stored; remove it.")
            )
        return data


def _contains_nul(data) -> bool:
    """Walks the parsed document without recursion (it may be nested as deep as the parser allows)."""
    pending = [data]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if NUL in item:
                return True
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return False

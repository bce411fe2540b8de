"""What error reports (the e-mail to ADMINS, Sentry) must never carry: who complained, how to reach them,
tracking codes, passwords and other secrets. One list of names and one set of patterns for both
(``core.error_reports``, ``core.sentry``). Plain Python: the settings import it before Django is set up.
"""

from __future__ import annotations

import re
from typing import Any

FILTERED = "[filtered]"

#: Field, variable, header and cookie names whose values are personal or secret, wherever they appear
#: (form fields of the complaint and tracking pages, API bodies, frame variables, cookies).
PERSONAL_NAME = re.compile(
    r"name|phone|mobile|email|e_mail|mail|address|remote_addr|forwarded|contact|complainant|enterprise|"
    r"code|tracking|digest|receipt|password|passwd|secret|token|otp|key|auth|cookie|session|csrf|signature|"
    r"description|demand|comment|note|text|body|data",
    re.IGNORECASE,
)

# The shapes personal data takes in free text (an exception message, a log line, a URL).
_PATTERNS = [
    re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)"),  # mainland mobile numbers
    re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)"),  # landlines with area code
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
    re.compile(r"\b[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}-[0-9A-Za-z]{4}\b"),  # tracking codes as printed
    re.compile(r"\b(?=[0-9A-Z]*[A-Z])(?=[0-9A-Z]*\d)[0-9A-Z]{16}\b"),  # … and typed without dashes
    re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)"),  # resident identity card numbers
]


def scrub_text(text: str) -> str:
    """``text`` with every phone number, e-mail address, tracking code and ID number replaced."""
    for pattern in _PATTERNS:
        text = pattern.sub(FILTERED, text)
    return text


def is_personal_name(name: Any) -> bool:
    return isinstance(name, str) and bool(PERSONAL_NAME.search(name))


def scrub(value: Any, *, by_name: bool = True, depth: int = 0) -> Any:
    """A copy of ``value`` (dicts, lists, strings) with the patterns scrubbed from every string and, when
    ``by_name``, the values under personal keys replaced."""
    if depth > 30:
        return FILTERED
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {
            key: FILTERED
            if by_name and is_personal_name(key) and item not in (None, "")
            else scrub(item, by_name=by_name, depth=depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(scrub(item, by_name=by_name, depth=depth + 1) for item in value)
    return value

"""Personal identity in the reference data: ID numbers kept only as keyed hashes, names masked for
whoever may not see who someone is, and the normalised keys the collision rules join on.

ID numbers (居民身份证号码, GB 11643-1999: 17 digits and a check character, ISO 7064 MOD 11-2) are
checked, then stored only as an HMAC-SHA256 under the key of the complaint tracking codes
(``TRACKING_CODE_KEY``, else derived from ``SECRET_KEY``), prefixed so that the two uses never share a
digest. A copy of the database names nobody and cannot be searched without the key.

Who may see names is the rule of complainant identity (``complaints.selectors.can_see_identity``:
commission staff — commission admins and inspectors — never park officers); everyone else sees 张*.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata

from django.utils.translation import gettext as _

from complaints.selectors import can_see_identity
from complaints.tracking import _key as tracking_key
from core.import_cells import CellError

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"
_DOMAIN = b"id-number:"

may_see_person = can_see_identity  # the one predicate: who may read names of people


def normalize_id_number(value) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split()).upper()


def id_number_error(value) -> str | None:
    """What is wrong with an ID number, in Chinese; None when it is a valid 18-character number."""
    number = normalize_id_number(value)
    if len(number) != 18:
        return _("An ID number has 18 characters; this one has %(length)d.") % {"length": len(number)}
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        return _("An ID number is 17 digits followed by a digit or X.")
    try:
        datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return _("The date of birth in the ID number (%(date)s) does not exist.") % {"date": number[6:14]}
    total = sum(int(digit) * weight for digit, weight in zip(number[:17], ID_WEIGHTS, strict=True))
    if ID_CHECK[total % 11] != number[17]:
        return _("The check character of the ID number is wrong: mistyped?")
    return None


def id_hash(value) -> str:
    """The keyed hash of a (valid) ID number; the number itself is never stored."""
    number = normalize_id_number(value)
    return hmac.new(tracking_key(), _DOMAIN + number.encode(), hashlib.sha256).hexdigest()


def parse_id_number(value) -> str:
    """An import cell: a valid ID number becomes its hash at once, so no raw number lives past parsing."""
    error = id_number_error(value)
    if error:
        raise CellError(error)
    return id_hash(value)


def mask_name(name: str) -> str:
    """张三丰 → 张**: the surname alone."""
    name = (name or "").strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""


def mask_phone(digits: str) -> str:
    """13812345678 → 138****5678; short numbers keep only their last four digits."""
    if len(digits) >= 11:
        return digits[:3] + "****" + digits[-4:]
    return "*" * max(len(digits) - 4, 0) + digits[-4:]


def name_for(user, name: str) -> str:
    return name if may_see_person(user) else mask_name(name)


# --- normalised keys ---------------------------------------------------------------------------------------


def phone_key(value) -> str:
    """Digits only; a leading +86 / 0086 / 86 before an 11-digit mobile dropped. Fewer than 7 digits: no key."""
    digits = re.sub(r"\D", "", unicodedata.normalize("NFKC", str(value or "")))
    if digits.startswith("0086"):
        digits = digits[4:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits if len(digits) >= 7 else ""


#: Variant characters written for the same thing in addresses.
_ADDRESS_VARIANTS = str.maketrans({"號": "号", "#": "号", "樓": "楼", "幢": "栋", "座": "栋", "區": "区"})


def address_key(value) -> str:
    """Full-width → half-width (NFKC), variants unified (號/#→号, 樓→楼, 幢/座→栋), every space and punctuation
    mark dropped, letters lower-cased. Numbers are kept as written: 88号 and 86号 of one street differ."""
    text = unicodedata.normalize("NFKC", str(value or "")).translate(_ADDRESS_VARIANTS).lower()
    return "".join(char for char in text if unicodedata.category(char)[0] not in "PZSC")

import re

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# Mobile numbers, landlines with area code (optionally an extension) and 400/800 service numbers.
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?|[48]00-?\d{3}-?\d{4})$")

validate_phone = RegexValidator(
    PHONE_RE,
    _("Enter a mobile number or a landline with its area code, e.g. 13812345678 or 023-67891234."),
    code="phone",
)

validate_park_code = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,31}$",
    _("A park code has 2 to 32 characters: capital letters, digits and hyphens, e.g. PDS-GXQ."),
    code="park_code",
)

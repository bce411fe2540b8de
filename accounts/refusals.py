"""Why a role is refused a page, one sentence per rule of ``User``'s role properties, shown on the 403
page (templates/403.html reads the PermissionDenied message). Only role refusals say why: an object
outside the user's parks stays a plain 404, so nobody learns that it exists."""

from django.utils.translation import gettext_lazy as _

#: ``User.is_staff_reader``
FOR_STAFF = _(
    "This page is for commission staff and park officers; enterprise users find their own matters on the home page."
)
#: ``User.is_commission_staff``
FOR_COMMISSION_STAFF = _("This page is for commission administrators and inspectors.")
#: ``User.is_commission_admin``
FOR_COMMISSION_ADMINS = _("This page is for commission administrators.")
#: ``User.can_edit_risk_ledgers``
FOR_RISK_LEDGER_KEEPERS = _(
    "Only park officers and commission administrators change the integrity-risk ledgers; inspectors read them."
)
#: ``User.can_keep_ledgers``
FOR_LEDGER_KEEPERS = _("Only commission administrators, inspectors and park officers change these records.")

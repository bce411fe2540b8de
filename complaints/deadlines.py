"""The complaints' deadlines counted in working days, recomputed when the commission changes the working-day
calendar (registered with ``core.calendar`` in ``ComplaintsConfig.ready``).

Open deadlines only: acceptance of a complaint not yet accepted (from the day it was filed) and the reply
to one accepted but not yet replied (from the day it was accepted, or reopened by a "not satisfied"
rating). A deadline is counted again with the same rule as when it was set (complaints.services).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.calendar import Recomputed
from core.workdays import add_working_days

from .choices import AWAITING_REPLY, Status
from .models import Complaint
from .services import reply_limit


def reply_counted_from(complaint: Complaint) -> datetime.date:
    reopened = complaint.reopen_count and complaint.rated_at and complaint.rated_at > complaint.accepted_at
    return timezone.localdate(complaint.rated_at if reopened else complaint.accepted_at)


def recompute_complaint_deadlines(first: datetime.date, last: datetime.date) -> list[Recomputed]:
    """Recompute the open deadlines a change of the days ``first``…``last`` may move.

    A deadline before ``first`` cannot move (no changed day lies between its start and it)."""
    candidates = (
        Complaint.objects.select_for_update()
        .filter(Q(status=Status.SUBMITTED, accept_due__gte=first) | Q(status__in=AWAITING_REPLY, reply_due__gte=first))
        .order_by("pk")
    )
    moved = []
    for complaint in candidates:
        if complaint.status == Status.SUBMITTED:
            start = timezone.localdate(complaint.submitted_at)
            field, what = "accept_due", _("to be accepted by")
            new = add_working_days(start, settings.COMPLAINT_ACCEPT_WORKING_DAYS)
        else:
            start = reply_counted_from(complaint)
            field, what = "reply_due", _("to be replied by")
            new = add_working_days(start, reply_limit(complaint.category))
        old = getattr(complaint, field)
        if start >= last or new == old:
            continue
        setattr(complaint, field, new)
        complaint.save(update_fields=[field])
        label = _("Complaint %(reference)s, %(deadline)s") % {"reference": complaint.reference, "deadline": what}
        moved.append(Recomputed(label, old, new, complaint.get_absolute_url()))
    return moved

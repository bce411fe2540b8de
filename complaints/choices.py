from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    NOT_HANDLED = "not_handled", _("Matter not handled (办不成事)")
    FAVOURS = "favours", _("Demanding favours (吃拿卡要)")
    DINING_GIFTS = "dining_gifts", _("Improper dining or gifts")
    ARBITRARY_FEES = "arbitrary_fees", _("Arbitrary fees")
    POLICY_NOT_DELIVERED = "policy_not_delivered", _("Policy not delivered")
    WORK_STYLE = "work_style", _("Work style")
    DISTURBING = "disturbing", _("Disturbing an enterprise")
    OTHER = "other", _("Other")


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("awaiting acceptance")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("not accepted")
    ASSIGNED = "assigned", _("assigned")
    HANDLING = "handling", _("being handled")
    REPLIED = "replied", _("replied")
    CLOSED = "closed", _("closed")


OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING, Status.REPLIED})
FINAL_STATUSES = frozenset({Status.REJECTED, Status.CLOSED})
# States in which a reply is owed (the reply time limit runs).
AWAITING_REPLY = frozenset({Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING})


class Channel(models.TextChoices):
    ONLINE = "online", _("Online")
    QR = "qr", _("QR code (码上监督)")
    WINDOW = "window", _("Service window")


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY_SATISFIED = "fairly_satisfied", _("Fairly satisfied")
    NOT_SATISFIED = "not_satisfied", _("Not satisfied")


SATISFIED_RATINGS = frozenset({Rating.SATISFIED, Rating.FAIRLY_SATISFIED})


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    ASSIGNED = "assigned", _("Assigned")
    STARTED = "started", _("Handling started")
    REPLIED = "replied", _("Replied")
    SUPPLEMENTED = "supplemented", _("Information added by the complainant")
    RATED = "rated", _("Rated")
    REOPENED = "reopened", _("Reopened")
    ESCALATED = "escalated", _("Not satisfied again: referred to the inspectors")
    CLOSED = "closed", _("Closed")
    NOTE = "note", _("Internal note")

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat, ExtractDay, ExtractMonth, ExtractYear, LPad
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import PrivateAttachment
from core.scoping import ScopedQuerySet
from parks.validators import validate_phone

from .choices import AWAITING_REPLY, OPEN_STATUSES, Category, Channel, EventKind, Rating, Status

TEXT_LIMIT = MaxLengthValidator(settings.COMPLAINT_TEXT_MAX_LENGTH)


class ComplaintQuerySet(ScopedQuerySet):
    park_path = "park"
    enterprise_path = "complainant__enterprise"

    def officer_filter(self, user):
        # A park officer sees only what was assigned to them, never the rest of the park's complaints.
        return self.filter(assigned_to=user)

    def escalated(self):
        """Rated "not satisfied" a second time: the inspectors look into it."""
        return self.filter(escalated_at__isnull=False)

    # The complaint figures, each written once as a condition that serves both as a filter (the lists)
    # and inside an aggregate (the dashboards, the park page, the evaluation): see complaints.selectors.

    @staticmethod
    def overdue_q(today: datetime.date) -> Q:
        """Overdue: not accepted by its acceptance deadline, or accepted and not replied by its reply deadline."""
        return Q(status=Status.SUBMITTED, accept_due__lt=today) | Q(status__in=AWAITING_REPLY, reply_due__lt=today)

    @staticmethod
    def replied_q() -> Q:
        """Replied, on time or late (a reopened complaint keeps its first answer's mark until the new one)."""
        return Q(replied_on_time__isnull=False)

    @staticmethod
    def reply_due_q(today: datetime.date) -> Q:
        """Whose reply counts for the on-time rate: replied (on time or late), or still unanswered past
        a deadline (overdue, before or after acceptance). Rejected complaints and those not yet due do not."""
        return ComplaintQuerySet.replied_q() | ComplaintQuerySet.overdue_q(today)

    @staticmethod
    def filed_in_q(year: int | None) -> Q:
        """Filed in the year (all complaints when no year is given)."""
        return Q(submitted_at__year=year) if year else Q()

    def overdue(self, today: datetime.date | None = None):
        return self.filter(self.overdue_q(today or timezone.localdate()))


def reference_expression(path: str = ""):
    """``Complaint.reference`` computed by the database (TS, the local day it was submitted, the id on at
    least five digits), for the complaint at the lookup ``path``."""
    submitted, pk = f"{path}submitted_at", f"{path}pk"
    day = ExtractYear(submitted) * 10000 + ExtractMonth(submitted) * 100 + ExtractDay(submitted)
    number = Cast(pk, CharField())
    padded = Case(When(**{f"{pk}__gte": 10**5}, then=number), default=LPad(number, 5, Value("0")))
    return Concat(Value("TS"), Cast(day, CharField()), padded, output_field=CharField())


class Complaint(models.Model):
    """A complaint filed through the "办不成事" window, a park's QR code or online.

    Who complained lives in ``Complainant`` (absent for anonymous complaints), which only commission
    staff ever read.
    """

    # Indexed by Meta.indexes (park, status), as ``assigned_to`` by ``complaint_officer_scope``, ``submitted_at``
    # by ``complaint_filed_figures`` and ``tracking_digest`` by its constraint: no single-column index each,
    # which every complaint filed would also have to write (issue 13).
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="complaints", db_index=False
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices)
    subject = models.CharField(
        _("department or official complained about"), max_length=200, validators=[MaxLengthValidator(200)]
    )
    description = models.TextField(_("what happened"), validators=[TEXT_LIMIT])
    demand = models.TextField(_("what you would like done"), blank=True, validators=[TEXT_LIMIT])
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    tracking_digest = models.CharField(_("tracking code digest"), max_length=64, editable=False)

    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        db_index=False,
    )
    attachments_shared = models.BooleanField(_("complainant's attachments shared with the handler"), default=False)

    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    accept_due = models.DateField(_("to be accepted by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_on_time = models.BooleanField(_("accepted on time"), null=True, blank=True)
    reply_due = models.DateField(_("to be replied by"), null=True, blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_on_time = models.BooleanField(_("replied on time"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    reply_round = models.PositiveSmallIntegerField(_("replies given"), default=0)
    rated_round = models.PositiveSmallIntegerField(_("replies rated"), default=0)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)
    rating_comment = models.TextField(_("comment on the answer"), blank=True, validators=[TEXT_LIMIT])
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    escalated_at = models.DateTimeField(
        _("referred to the inspectors at"),
        null=True,
        blank=True,
        help_text=_("Rated not satisfied after it had been reopened once."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    #: The properties exports read from the database (see core.export_values).
    property_expressions = {"reference": reference_expression}

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["park", "status"]),
            # An officer's scope (their parks, assigned to them): their queue's and API's counts from the index alone.
            models.Index(fields=["assigned_to", "park", "status"], name="complaint_officer_scope"),
            # The figures (complaints.selectors.complaint_figures), read from the index alone: today's state
            # over the open complaints (a park's, or its officer's), the rates over the year's (the evaluation;
            # the dashboards and the park page read the tally, ``ComplaintTally``).
            models.Index(
                fields=["park", "assigned_to", "status"],
                include=["id", "category", "submitted_at", "accept_due", "reply_due", "replied_on_time"],
                condition=Q(status__in=sorted(OPEN_STATUSES)),
                name="complaint_open_figures",
            ),
            # An officer's desk: what awaits their reply, the nearest deadline first.
            models.Index(
                fields=["assigned_to", "reply_due", "id"],
                condition=Q(status__in=sorted(AWAITING_REPLY)),
                name="complaint_awaiting_reply",
            ),
            models.Index(
                fields=["submitted_at"],
                include=["id", "park", "status", "accept_due", "reply_due", "replied_on_time", "rating"],
                name="complaint_filed_figures",
            ),
        ]
        constraints = [
            # A constraint, not ``unique=True``: that adds a second index for LIKE on PostgreSQL (120 MB at the
            # province scale), and the digest is only ever looked up whole.
            models.UniqueConstraint(fields=["tracking_digest"], name="complaint_tracking_digest_unique"),
            models.CheckConstraint(condition=Q(reopen_count__lte=1), name="complaint_reopens_once"),
            models.CheckConstraint(condition=Q(rated_round__lte=F("reply_round")), name="complaint_rates_replies"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        """The number staff quote (not a secret: it opens nothing without a login or the tracking code)."""
        return f"TS{timezone.localtime(self.submitted_at):%Y%m%d}{self.pk:05d}"

    @property
    def due_date(self) -> datetime.date | None:
        """The deadline that runs now: acceptance, then the reply; none once replied or final."""
        if self.status == Status.SUBMITTED:
            return self.accept_due
        if self.status in AWAITING_REPLY:
            return self.reply_due
        return None

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        due = self.due_date
        return due is not None and due < (today or timezone.localdate())

    @property
    def can_be_rated(self) -> bool:
        return self.status in (Status.REPLIED, Status.CLOSED) and self.rated_round < self.reply_round


class ComplaintTallyQuerySet(ComplaintQuerySet):
    enterprise_path = None  # read by staff only (the dashboards, the park page)

    @staticmethod
    def filed_in_q(year: int | None) -> Q:
        """Filed in the year: the month each complaint was filed in, local time, as ``Complaint.filed_in_q``."""
        return Q(month__year=year) if year else Q()


class ComplaintTally(models.Model):
    """How many complaints there are of each park, handler, local month filed, category, state, on-time
    mark and rating: kept in step with every complaint written (insert, update, delete) by a PostgreSQL
    trigger (``complaints.tally``), which appends a +1 row for the complaint's new key and a -1 row for
    its old one; ``tally.compact`` sums the rows of each key. Summing ``n`` over the rows a condition
    selects counts exactly the complaints that condition selects — the figures that do not depend on
    today read it instead of every complaint (issue 13); those that do (overdue) stay live.

    Columns named as on ``Complaint``, so the figures' conditions (``complaints.selectors``) apply to both."""

    # No constraint, no index of their own: rows of a key summing to 0 never hold a park or a user back.
    park = models.ForeignKey(
        "parks.Park", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    month = models.DateField()  # the first day of the local month the complaint was filed in
    category = models.CharField(max_length=30, choices=Category.choices)
    status = models.CharField(max_length=12, choices=Status.choices)
    replied_on_time = models.BooleanField(null=True)
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    n = models.IntegerField()

    objects = ComplaintTallyQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["park", "month"],
                include=["assigned_to", "category", "status", "replied_on_time", "rating", "n"],
                name="complaint_tally_park",
            ),
            models.Index(
                fields=["month"],
                include=["park", "assigned_to", "category", "status", "replied_on_time", "rating", "n"],
                name="complaint_tally_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park_id} {self.month:%Y-%m} {self.category} {self.status}: {self.n}"


class ParkTallyQuerySet(ComplaintTallyQuerySet):
    def officer_filter(self, user):
        return self.none()  # no handler column: an officer's figures come from ``ComplaintTally``


class ComplaintParkTally(models.Model):
    """``ComplaintTally`` without the handler and the category: the same complaints counted per park, local
    month filed, state, on-time mark and rating, kept by the same trigger (``complaints.tally``). A year of it
    is a few rows per park and month, so the dashboard's figures and monthly chart — grouped by park, for
    users who see whole parks — sum a quarter of the rows. Officers (who see only the complaints assigned to
    them) and the park page's counts by category read ``ComplaintTally``."""

    park = models.ForeignKey(
        "parks.Park", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    month = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    replied_on_time = models.BooleanField(null=True)
    rating = models.CharField(max_length=20, choices=Rating.choices, blank=True)
    n = models.IntegerField()

    objects = ParkTallyQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["month"],
                include=["park", "status", "replied_on_time", "rating", "n"],
                name="complaint_park_tally_month",
            ),
            models.Index(
                fields=["park", "month"],
                include=["status", "replied_on_time", "rating", "n"],
                name="complaint_park_tally_park",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.park_id} {self.month:%Y-%m} {self.status}: {self.n}"


class Complainant(models.Model):
    """Who filed a complaint. Never created for anonymous complaints; read by commission staff only."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, primary_key=True, related_name="complainant"
    )
    name = models.CharField(_("contact name"), max_length=50, blank=True)
    phone = models.CharField(_("contact phone"), max_length=30, blank=True, validators=[validate_phone])
    enterprise_name = models.CharField(_("enterprise name"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "parks.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints_filed",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("complainant")
        verbose_name_plural = _("complainants")

    def __str__(self) -> str:
        return self.name or self.enterprise_name or "—"


class ComplaintEventQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True)


class ComplaintEvent(models.Model):
    """One step of a complaint's life. Written once, never changed or deleted."""

    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("step"), max_length=15, choices=EventKind.choices)
    from_status = models.CharField(_("from"), max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, null=True, blank=True
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.TextField(_("note"), blank=True)
    internal_note = models.TextField(_("internal note"), blank=True)
    is_public = models.BooleanField(_("shown to the complainant"), default=True)
    rating = models.CharField(_("rating"), max_length=20, choices=Rating.choices, blank=True)

    objects = ComplaintEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("complaint step")
        verbose_name_plural = _("complaint steps")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Complaint steps cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Complaint steps cannot be deleted."))


class ComplaintAttachment(PrivateAttachment):
    complaint = models.ForeignKey(
        Complaint, verbose_name=_("complaint"), on_delete=models.CASCADE, related_name="attachments"
    )
    event = models.ForeignKey(
        ComplaintEvent,
        verbose_name=_("step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attachments",
    )
    from_complainant = models.BooleanField(_("from the complainant"), default=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("complaints:attachment", kwargs={"pk": self.pk})

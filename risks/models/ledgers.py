"""The integrity-risk ledgers of a park. Money is Decimal (yuan, two places) and never negative; the
database checks what it can (non-negative amounts, members present ≤ entitled, one voucher number per
park), ``clean()`` says the rest in Chinese."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet

from ..choices import (
    AlertStatus,
    DecisionKind,
    DecisionOutcome,
    MeetingKind,
    Relation,
    RiskDomain,
    RiskLevel,
    RiskStatus,
)
from ..scoring import risk_level, risk_score

ZERO = Decimal("0.00")


def money(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name, max_digits=16, decimal_places=2, validators=[MinValueValidator(ZERO)], **kwargs
    )


def non_negative(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=name)


class ParkLedgerQuerySet(ScopedQuerySet):
    park_path = "park"


class Ledger(models.Model):
    park = models.ForeignKey("parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ParkLedgerQuerySet.as_manager()

    class Meta:
        abstract = True


# --- 廉政风险点 -------------------------------------------------------------------------------------


class RiskPoint(Ledger):
    domain = models.CharField(_("risk domain"), max_length=20, choices=RiskDomain.choices)
    description = models.TextField(_("risk description"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"),
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (rare) to 5 (almost certain)"),
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=_("1 (minor) to 5 (severe)")
    )
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, editable=False)
    measures = models.TextField(_("prevention measures"), blank=True)
    department = models.CharField(_("responsible department"), max_length=100, blank=True)
    owner = models.CharField(_("responsible person"), max_length=50, blank=True)
    review_on = models.DateField(
        _("next review date"), help_text=_("When the risk point and its measures are next reviewed.")
    )
    status = models.CharField(_("status"), max_length=12, choices=RiskStatus.choices, default=RiskStatus.IDENTIFIED)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("risk point")
        verbose_name_plural = _("risk points")
        ordering = ["park", "-likelihood", "domain", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5), name="riskpoint_likelihood_1_5"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="riskpoint_impact_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.get_domain_display()}：{self.description[:30]}"

    def save(self, *args, **kwargs):
        self.level = risk_level(self.likelihood, self.impact)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("risks:riskpoint-detail", kwargs={"pk": self.pk})

    @property
    def score(self) -> int:
        return risk_score(self.likelihood, self.impact)


# --- 三重一大 ----------------------------------------------------------------------------------------


class Decision(Ledger):
    """One "three majors, one large" matter and how it was decided. No meeting date means no
    collective decision was taken at all."""

    kind = models.CharField(_("matter type"), max_length=20, choices=DecisionKind.choices)
    subject = models.CharField(_("matter"), max_length=200)
    amount = money(_("amount (yuan)"), null=True, blank=True)
    meeting_kind = models.CharField(_("meeting type"), max_length=20, choices=MeetingKind.choices, blank=True)
    meeting_on = models.DateField(_("meeting date"), null=True, blank=True)
    members_entitled = models.PositiveSmallIntegerField(_("members entitled to attend"), null=True, blank=True)
    members_present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DecisionOutcome.choices, blank=True)
    has_minutes = models.BooleanField(_("minutes kept"), default=False)
    executed_on = models.DateField(
        _("carried out / money spent on"),
        null=True,
        blank=True,
        help_text=_("For fund use: the day the money was spent."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("'three majors, one large' decision")
        verbose_name_plural = _("'three majors, one large' decisions")
        # By park id, not by the park's code (a join no index can follow): the index decision_list_order gives
        # the pages and the API their 25 or 50 rows without sorting a park's decisions.
        ordering = ["park_id", "-meeting_on", "pk"]
        indexes = [models.Index(fields=["park", "-meeting_on", "id"], name="decision_list_order")]
        constraints = [
            non_negative("amount", "decision_amount_non_negative"),
            models.CheckConstraint(
                condition=Q(members_present__isnull=True)
                | Q(members_entitled__isnull=True)
                | Q(members_present__lte=F("members_entitled")),
                name="decision_present_within_entitled",
            ),
        ]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("risks:decision-detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.kind == DecisionKind.LARGE_FUNDS and self.amount is None:
            errors["amount"] = _("Give the amount of a large fund use.")
        if self.meeting_on is None and any(
            (self.meeting_kind, self.members_entitled, self.members_present, self.has_minutes)
        ):
            errors["meeting_on"] = _(
                "Give the meeting date, or leave the meeting fields empty if there was no meeting."
            )
        if self.meeting_on is not None:
            if not self.meeting_kind:
                errors["meeting_kind"] = _("Give the type of meeting.")
            if self.members_entitled in (None, 0):
                errors["members_entitled"] = _("Give how many members were entitled to attend.")
            if self.members_present is None:
                errors["members_present"] = _("Give how many members were present.")
        if (
            self.members_present is not None
            and self.members_entitled is not None
            and self.members_present > self.members_entitled
        ):
            errors["members_present"] = _(
                "More members present (%(present)d) than entitled to attend (%(entitled)d)."
            ) % {
                "present": self.members_present,
                "entitled": self.members_entitled,
            }
        if errors:
            raise ValidationError(errors)


# --- 惠企奖补资金 --------------------------------------------------------------------------------------

PERIOD = re.compile(r"^\d{4}(Q[1-4]|H[12]|-(0[1-9]|1[0-2]))?$")


def validate_period(value: str) -> None:
    if not PERIOD.match(value or ""):
        raise ValidationError(
            _("Write the period as a year (2026), a quarter (2026Q3), a half-year (2026H1) or a month (2026-07)."),
            code="period",
        )


# Not fully paid: ``outstanding`` > 0, written as the partial index on it reads it.
UNPAID = Q(paid_total__lt=F("approved_amount"))


class SubsidyQuerySet(ParkLedgerQuerySet):
    enterprise_path = "enterprise"  # an enterprise sees its own subsidies

    # The subsidy figures, each written once: what is outstanding, and which subsidies have not landed.

    def with_outstanding(self):
        """Annotate ``outstanding`` (approved − paid; negative when over-paid) next to ``paid_total`` (the sum
        of the payments, a column kept in step by every payment write: ``risks.paid``) — the one definition
        every page, export, rule, form and import uses. Calling it twice annotates once."""
        if "outstanding" in self.query.annotations:
            return self
        return self.annotate(outstanding=F("approved_amount") - F("paid_total"))

    def unpaid_too_long(self, today: datetime.date | None = None):
        """Approved ``RISK_SUBSIDY_NOT_LANDED_DAYS`` days ago or more and not fully paid: the condition of
        the ``subsidy_not_landed`` alert rule."""
        today = today or timezone.localdate()
        cutoff = today - datetime.timedelta(days=settings.RISK_RULES["SUBSIDY_NOT_LANDED_DAYS"])
        return self.with_outstanding().filter(UNPAID, approved_on__lte=cutoff)

    def not_landed(self, today: datetime.date | None = None):
        """Subsidies not landed (资金未落地): unpaid too long, except those whose alert an inspector has
        dismissed with a reason (e.g. the money is on its way) while the condition holds. The dashboard,
        the list filter and the evaluation count these."""
        from .alerts import Alert

        dismissed = (
            Alert.objects.live()
            .filter(rule="subsidy_not_landed", status=AlertStatus.DISMISSED)
            .filter(content_type=ContentType.objects.get_for_model(self.model))
            .values("object_id")
        )
        return self.unpaid_too_long(today).exclude(pk__in=dismissed)


class Subsidy(Ledger):
    enterprise = models.ForeignKey(
        "parks.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="subsidies",
        db_index=False,
    )
    policy = models.CharField(_("policy"), max_length=200)
    period = models.CharField(_("period"), max_length=10, validators=[validate_period])
    approved_amount = money(_("approved amount (yuan)"))
    approved_on = models.DateField(_("approved on"))
    # SUM(payments.amount), kept in step by ``risks.paid`` (every payment write; checked by the tests).
    paid_total = models.DecimalField(_("amount paid"), max_digits=18, decimal_places=2, default=ZERO, editable=False)

    history = HistoricalRecords(excluded_fields=["paid_total"])
    objects = SubsidyQuerySet.as_manager()

    class Meta:
        verbose_name = _("subsidy")
        verbose_name_plural = _("subsidies")
        ordering = ["park", "-approved_on", "pk"]
        constraints = [non_negative("approved_amount", "subsidy_approved_non_negative")]
        indexes = [
            models.Index(fields=["enterprise", "policy", "period"]),
            # The list's order (by park, newest first) and the API's (newest first): a page reads 25
            # index entries, and the outstanding amount is summed for those rows only.
            models.Index(fields=["park", "-approved_on", "id"], name="subsidy_list_order"),
            models.Index(fields=["-approved_on", "id"], name="subsidy_api_order"),
            # The subsidies not landed, by park (the dashboards): only the unpaid ones, a few per cent.
            models.Index(
                fields=["park", "approved_on"],
                include=["id", "approved_amount", "paid_total"],
                condition=UNPAID,
                name="subsidy_unpaid_by_park",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.policy}（{self.period}）"

    def get_absolute_url(self) -> str:
        return reverse("risks:subsidy-detail", kwargs={"pk": self.pk})

    @property
    def days_since_approval(self) -> int:
        return (timezone.localdate() - self.approved_on).days

    def clean(self) -> None:
        super().clean()
        if self.enterprise_id and self.park_id and self.enterprise.park_id != self.park_id:
            raise ValidationError({"enterprise": _("The enterprise is not in this park.")})


class SubsidyPaymentQuerySet(ParkLedgerQuerySet):
    enterprise_path = "subsidy__enterprise"


class SubsidyPayment(Ledger):
    """One disbursement of a subsidy. ``park`` repeats the subsidy's park so that a voucher number is
    unique per park in the database."""

    subsidy = models.ForeignKey(Subsidy, verbose_name=_("subsidy"), on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = money(_("amount paid (yuan)"))
    voucher_no = models.CharField(_("voucher number"), max_length=50)
    overpayment_confirmed = models.BooleanField(
        _("over-payment confirmed"),
        default=False,
        help_text=_("Set when a payment larger than what is outstanding was recorded on purpose."),
    )

    history = HistoricalRecords()
    objects = SubsidyPaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("subsidy payment")
        verbose_name_plural = _("subsidy payments")
        ordering = ["paid_on", "pk"]
        constraints = [
            non_negative("amount", "payment_amount_non_negative"),
            models.UniqueConstraint(
                fields=["park", "voucher_no"],
                name="payment_voucher_unique_per_park",
                violation_error_message=_("This voucher number is already recorded in this park."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_no} {self.amount}"

    def clean(self) -> None:
        super().clean()
        if self.subsidy_id and self.park_id and self.subsidy.park_id != self.park_id:
            raise ValidationError({"park": _("A payment belongs to the park of its subsidy.")})


# --- 干部与利益冲突登记 (engineering projects, contracts and bids: models/projects.py) -------------------


class Official(Ledger):
    name = models.CharField(_("official's name"), max_length=50)
    position = models.CharField(_("position"), max_length=100)
    is_active = models.BooleanField(_("in office"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["park", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）"

    def get_absolute_url(self) -> str:
        return reverse("risks:official-list") + f"?park={self.park_id}#official-{self.pk}"


class OfficialTieQuerySet(ParkLedgerQuerySet):
    park_path = "official__park"


class OfficialTie(models.Model):
    """An enterprise run by an official or a relative of one (领导干部亲属经商办企业)."""

    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.CASCADE, related_name="ties", db_index=False
    )
    enterprise = models.ForeignKey(
        "parks.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="official_ties"
    )
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    relative_name = models.CharField(_("relative's name"), max_length=50, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = OfficialTieQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict-of-interest entry")
        verbose_name_plural = _("conflict-of-interest register")
        constraints = [
            models.UniqueConstraint(fields=["official", "enterprise", "relation"], name="official_tie_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.official} — {self.enterprise}（{self.get_relation_display()}）"

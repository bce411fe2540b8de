"""Campaigns (专项整治 / 专项监督): a themed campaign over several parks, the self-inspection checklist
(自查自纠) each covered park returns, and the findings tagged to the campaign."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from core.models import PrivateAttachment
from core.scoping import ScopedQuerySet

from .choices import AnswerResult, CampaignStatus, CampaignTheme, Ledger, ReturnStatus


class CampaignQuerySet(ScopedQuerySet):
    park_path = "parks"
    multi_park = True

    def officer_filter(self, user):
        # A campaign in preparation is the commission's draft: parks see it once it is launched.
        return self.exclude(status=CampaignStatus.DRAFT)

    def launched(self):
        return self.filter(status=CampaignStatus.LAUNCHED)


def rule_choices() -> list[tuple[str, str]]:
    """The alert rules of the registry (risks.rules), whichever app registered them."""
    from risks.rules import REGISTRY

    return [(code, str(rule.name)) for code, rule in REGISTRY.items()]


class Campaign(models.Model):
    name = models.CharField(_("campaign name"), max_length=200)
    theme = models.CharField(_("theme"), max_length=20, choices=CampaignTheme.choices)
    parks = models.ManyToManyField("parks.Park", verbose_name=_("parks covered"), related_name="campaigns")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    lead_unit = models.CharField(_("lead unit"), max_length=100)
    rules = models.JSONField(_("alert rules in focus"), default=list, blank=True)
    ledgers = models.JSONField(_("ledgers in focus"), default=list, blank=True)
    return_working_days = models.PositiveSmallIntegerField(
        _("working days to return the checklist"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    launched_on = models.DateField(_("launched on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[parks])
    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = pgettext_lazy("special campaign", "campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="campaign_ends_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("campaigns:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("A campaign cannot end before it starts.")
        known = {code for code, _label in rule_choices()}
        if not isinstance(self.rules, list) or set(self.rules) - known:
            errors["rules"] = _("Choose alert rules from the list.")
        if not isinstance(self.ledgers, list) or set(self.ledgers) - set(Ledger.values):
            errors["ledgers"] = _("Choose ledgers from the list.")
        if errors:
            raise ValidationError(errors)

    @property
    def park_names(self) -> str:
        return "、".join(park.name for park in self.parks.all())

    def rule_labels(self) -> list[str]:
        names = dict(rule_choices())
        return [names.get(code, code) for code in self.rules]

    def ledger_labels(self) -> list[str]:
        return [str(Ledger(code).label) for code in self.ledgers if code in Ledger.values]


class ChecklistItemQuerySet(ScopedQuerySet):
    park_path = "campaign__parks"
    multi_park = True

    def officer_filter(self, user):
        return self.exclude(campaign__status=CampaignStatus.DRAFT)


class ChecklistItem(models.Model):
    """One question of the campaign's self-inspection checklist; editable until the campaign is launched."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=pgettext_lazy("special campaign", "campaign"),
        on_delete=models.CASCADE,
        related_name="items",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=1)
    text = models.CharField(_("checklist item"), max_length=300)

    history = HistoricalRecords()
    objects = ChecklistItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["campaign", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class ParkReturnQuerySet(ScopedQuerySet):
    park_path = "park"

    def overdue_q(self, today) -> Q:
        """The one definition of a late return: still to be filled in (or sent back), past its due date."""
        return Q(status__in=[ReturnStatus.PENDING, ReturnStatus.RETURNED], due_on__lt=today)


class ParkReturn(models.Model):
    """A covered park's return of the self-inspection checklist (自查自纠)."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=pgettext_lazy("special campaign", "campaign"),
        on_delete=models.PROTECT,
        related_name="returns",
        db_index=False,
    )
    park = models.ForeignKey("parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField(_("due on"))
    status = models.CharField(_("status"), max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.PENDING)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    return_reason = models.TextField(_("why it was sent back"), blank=True)

    history = HistoricalRecords()
    objects = ParkReturnQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist return")
        verbose_name_plural = _("checklist returns")
        ordering = ["campaign", "park__code"]
        constraints = [models.UniqueConstraint(fields=["campaign", "park"], name="one_return_per_campaign_park")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.park}"

    def get_absolute_url(self) -> str:
        return reverse("campaigns:return-detail", kwargs={"pk": self.pk})


class ReturnAnswerQuerySet(ScopedQuerySet):
    park_path = "park_return__park"


class ReturnAnswer(models.Model):
    park_return = models.ForeignKey(
        ParkReturn, verbose_name=_("checklist return"), on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    item = models.ForeignKey(
        ChecklistItem, verbose_name=_("checklist item"), on_delete=models.PROTECT, related_name="+"
    )
    result = models.CharField(_("result"), max_length=15, choices=AnswerResult.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    history = HistoricalRecords()
    objects = ReturnAnswerQuerySet.as_manager()

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["park_return", "item__position", "item_id"]
        constraints = [models.UniqueConstraint(fields=["park_return", "item"], name="one_answer_per_item")]

    def __str__(self) -> str:
        return f"{self.item} — {self.get_result_display()}"


class AnswerAttachment(PrivateAttachment):
    answer = models.ForeignKey(
        ReturnAnswer, verbose_name=_("checklist answer"), on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = _("supporting file")
        verbose_name_plural = _("supporting files")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("campaigns:attachment", kwargs={"pk": self.pk})


class CampaignFindingQuerySet(ScopedQuerySet):
    park_path = "finding__park"


class CampaignFinding(models.Model):
    """A finding tagged to a campaign — and with it its rectification tasks, their accountability
    measures and recovered losses. Owned here: inspections knows nothing of campaigns."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=pgettext_lazy("special campaign", "campaign"),
        on_delete=models.PROTECT,
        related_name="finding_links",
        db_index=False,
    )
    finding = models.ForeignKey(
        "inspections.Finding", verbose_name=_("finding"), on_delete=models.CASCADE, related_name="campaign_links"
    )
    tagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("tagged by"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    tagged_at = models.DateTimeField(_("tagged at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = CampaignFindingQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding of a campaign")
        verbose_name_plural = _("findings of campaigns")
        ordering = ["-tagged_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "finding"], name="finding_tagged_once")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.finding}"

    def get_absolute_url(self) -> str:
        return self.finding.get_absolute_url()

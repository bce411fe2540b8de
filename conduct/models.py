"""The 政商交往 lists (正面清单 / 负面清单), the officials' registrations of their contacts with enterprises
(报备), and the park's 清廉文化 activities. The lists are data kept by commission admins; a registration is
matched against the negative list by ``services.registration_file``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import PrivateAttachment
from core.scoping import ScopedQuerySet

from .choices import ActivityKind, Audience, ListKind, MealPaidBy, NegativeKind


class ListItemQuerySet(ScopedQuerySet):
    """An item without a park applies to every park: staff of any park see it with their park's own."""

    park_path = "park"

    def _in_parks(self, parks):
        return self.filter(Q(park__isnull=True) | Q(park__in=parks))

    def active(self):
        return self.filter(is_active=True)

    def applying_to(self, park_id: int):
        return self.filter(Q(park__isnull=True) | Q(park=park_id))


class ConductListItem(models.Model):
    list_kind = models.CharField(_("list"), max_length=10, choices=ListKind.choices)
    park = models.ForeignKey(
        "parks.Park",
        verbose_name=_("park"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Leave empty for an item that applies to every park."),
    )
    code = models.CharField(_("item number"), max_length=20)
    text = models.CharField(_("item"), max_length=300)
    negative_kind = models.CharField(
        _("what a registration shows"),
        max_length=10,
        choices=NegativeKind.choices,
        blank=True,
        help_text=_("Negative list only: the registrations this item refuses."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in force"), default=True)

    history = HistoricalRecords()
    objects = ListItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("conduct list item")
        verbose_name_plural = _("government–business conduct lists")
        ordering = ["list_kind", "order", "code", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["list_kind", "code"],
                condition=Q(park__isnull=True),
                name="conduct_item_code_unique_all_parks",
                violation_error_message=_("This item number is already used in this list."),
            ),
            models.UniqueConstraint(
                fields=["list_kind", "park", "code"],
                name="conduct_item_code_unique_per_park",
                violation_error_message=_("This item number is already used in this list."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    def get_absolute_url(self) -> str:
        return reverse("conduct:item-update", kwargs={"pk": self.pk})

    def clean(self) -> None:
        super().clean()
        if self.list_kind == ListKind.NEGATIVE and not self.negative_kind:
            raise ValidationError({"negative_kind": _("Say what a registration shows for this negative-list item.")})
        if self.list_kind == ListKind.POSITIVE:
            self.negative_kind = ""


class RegistrationQuerySet(ScopedQuerySet):
    park_path = "park"
    enterprise_path = None  # enterprises never see the officials' registrations

    def officer_filter(self, user):
        """A park officer sees the registrations they filed; the park's inspectors see them all."""
        return self.filter(official=user)

    def self_reports(self):
        return self.filter(self_reported=True)

    def awaiting_review(self):
        return self.self_reports().filter(reviewed_at__isnull=True)


class ContactRegistration(models.Model):
    """报备: an official's contact with an enterprise of their park."""

    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    official = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("official"), on_delete=models.PROTECT, related_name="+"
    )
    official_record = models.ForeignKey(
        "risks.Official",
        verbose_name=_("in the officials' register"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "parks.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    contact_on = models.DateField(_("contact date"), default=timezone.localdate)
    place = models.CharField(_("place"), max_length=200)
    purpose = models.TextField(_("purpose"))
    meal_paid_by = models.CharField(
        _("meal paid by"), max_length=12, choices=MealPaidBy.choices, default=MealPaidBy.NO_MEAL
    )
    gifts_offered = models.CharField(_("gifts offered"), max_length=300, blank=True)
    gifts_value = models.DecimalField(
        _("value of the gifts (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    gifts_accepted = models.BooleanField(_("gifts accepted"), default=False)
    travel_paid_by_enterprise = models.BooleanField(_("travel paid by the enterprise"), default=False)
    discussed_bidding = models.BooleanField(_("bidding the enterprise takes part in was discussed"), default=False)
    declares_tie = models.BooleanField(
        _("declares a tie"),
        default=False,
        help_text=_("The official or a relative runs or owns part of this enterprise."),
    )
    tie_note = models.CharField(_("the tie"), max_length=200, blank=True)
    self_reported = models.BooleanField(_("self-report"), default=False)
    matched_items = models.ManyToManyField(
        ConductListItem, verbose_name=_("negative-list items matched"), blank=True, related_name="registrations"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact registration")
        verbose_name_plural = _("contact registrations")
        ordering = ["-contact_on", "-pk"]
        indexes = [
            models.Index(fields=["park", "-contact_on", "id"], name="registration_list_order"),
            models.Index(fields=["enterprise", "contact_on"], name="registration_enterprise_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(gifts_value__isnull=True) | Q(gifts_value__gte=0), name="registration_gifts_non_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact_on} {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("conduct:registration-detail", kwargs={"pk": self.pk})

    def negative_kinds(self) -> set[str]:
        """What this contact shows that a negative list may forbid — the machine-checkable part."""
        kinds = set()
        if self.meal_paid_by == MealPaidBy.ENTERPRISE:
            kinds.add(NegativeKind.BANQUET)
        if self.gifts_accepted:
            kinds.add(NegativeKind.GIFT)
        if self.travel_paid_by_enterprise:
            kinds.add(NegativeKind.TRAVEL)
        if self.discussed_bidding:
            kinds.add(NegativeKind.BIDDING)
        return kinds

    def clean(self) -> None:
        super().clean()
        if self.enterprise_id and self.park_id and self.enterprise.park_id != self.park_id:
            raise ValidationError({"enterprise": _("The enterprise is not in this park.")})
        if self.official_record_id and self.park_id and self.official_record.park_id != self.park_id:
            raise ValidationError({"official_record": _("This official is registered in another park.")})
        if self.gifts_accepted and not self.gifts_offered.strip():
            raise ValidationError({"gifts_offered": _("Say which gifts were offered.")})
        if self.declares_tie and not self.tie_note.strip():
            raise ValidationError({"tie_note": _("Say what the tie is.")})
        if self.contact_on and self.contact_on > timezone.localdate():
            raise ValidationError({"contact_on": _("A contact is registered once it took place.")})


class ActivityQuerySet(ScopedQuerySet):
    park_path = "park"


class IntegrityActivity(models.Model):
    """清廉文化: an education activity held in a park."""

    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="+", db_index=False
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    audience = models.CharField(_("audience"), max_length=12, choices=Audience.choices)
    attendance = models.PositiveIntegerField(_("attendance"), default=0)
    note = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    history = HistoricalRecords()
    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("integrity-culture activity")
        verbose_name_plural = _("integrity-culture activities")
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["park", "-held_on", "id"], name="activity_list_order")]
        constraints = [
            models.CheckConstraint(condition=Q(attendance__gte=0), name="activity_attendance_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.held_on} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("conduct:activity-detail", kwargs={"pk": self.pk})


class ActivityMaterial(PrivateAttachment):
    activity = models.ForeignKey(
        IntegrityActivity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta:
        verbose_name = _("activity material")
        verbose_name_plural = _("activity materials")
        ordering = ["uploaded_at", "pk"]

    def get_absolute_url(self) -> str:
        return reverse("conduct:material", kwargs={"pk": self.pk})

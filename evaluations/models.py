from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet

from .choices import Dimension, RoundStatus, Source

ZERO = Decimal("0")


class Indicator(models.Model):
    """One line of the framework: either computed from the portal's data or scored by inspectors."""

    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    name = models.CharField(_("indicator"), max_length=200)
    max_score = models.DecimalField(
        _("maximum score"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    source = models.CharField(
        _("computed from"), max_length=30, choices=Source.choices, blank=True,
        help_text=_("Empty: scored by inspectors with a justification."),
    )  # fmt: skip
    penalty_per_item = models.DecimalField(
        _("deduction per item"), max_digits=6, decimal_places=2, default=Decimal("1"),
        help_text=_("For counted sources: points taken off the maximum for each item (earned per item, up to the maximum, for registrations and activities)."),
    )  # fmt: skip
    guidance = models.TextField(_("how it is scored"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation indicator")
        verbose_name_plural = _("evaluation indicators")
        ordering = ["dimension", "order", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_computed(self) -> bool:
        return bool(self.source)


class NegativeItem(models.Model):
    """An item of the negative list (负面清单): recording it against a park deducts points."""

    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)
    name = models.CharField(_("negative-list item"), max_length=200)
    deduction = models.DecimalField(
        _("deduction"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    is_active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("negative-list item")
        verbose_name_plural = _("negative list")
        ordering = ["dimension", "pk"]

    def __str__(self) -> str:
        return self.name


class Round(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(_("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)

    def get_absolute_url(self) -> str:
        return reverse("evaluations:round", kwargs={"year": self.year})

    @property
    def is_final(self) -> bool:
        return self.status == RoundStatus.FINAL


class ScoreQuerySet(ScopedQuerySet):
    park_path = "park"


class Score(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="scores", db_index=False
    )
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="evaluation_scores"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("score"), max_digits=6, decimal_places=2, null=True, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    facts = models.JSONField(_("computed from"), default=dict, blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scored by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    history = HistoricalRecords()
    objects = ScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["round", "park", "indicator"], name="score_once_per_round_park_indicator"),
            models.CheckConstraint(condition=Q(value__isnull=True) | Q(value__gte=0), name="score_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.round} {self.park} {self.indicator}"

    def clean(self) -> None:
        super().clean()
        if self.value is not None and self.value > self.indicator.max_score:
            raise ValidationError({"value": _("At most %(max)s points.") % {"max": self.indicator.max_score}})


class NegativeRecordQuerySet(ScopedQuerySet):
    park_path = "park"


class NegativeRecord(models.Model):
    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="negatives")
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.PROTECT, related_name="evaluation_negatives"
    )
    item = models.ForeignKey(NegativeItem, verbose_name=_("negative-list item"), on_delete=models.PROTECT)
    note = models.TextField(_("what happened"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = NegativeRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("negative-list record")
        verbose_name_plural = _("negative-list records")

    def __str__(self) -> str:
        return f"{self.park} {self.item}"

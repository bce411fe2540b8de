from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.choices import COMMISSION_ROLES
from core.scoping import ScopedQuerySet

from .choices import ParkKind, ParkLevel
from .credit_code import normalize_credit_code, validate_credit_code
from .validators import validate_park_code, validate_phone


class CreditCodeField(models.CharField):
    """A unified social credit code, normalised (upper case, half-width, no spaces) before validation."""

    default_validators = [validate_credit_code]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_credit_code(value) if value else value

    def formfield(self, **kwargs):
        # Codes are copied off licences in groups ("9131 0000 MA1K …"): room to paste, normalised before
        # any length check, so the message is about the code and not about its spaces.
        return super().formfield(**{"form_class": CreditCodeFormField, "max_length": PASTE_ROOM, **kwargs})


PASTE_ROOM = 40


class CreditCodeFormField(forms.CharField):
    def to_python(self, value):
        value = super().to_python(value)
        return normalize_credit_code(value) if value else value


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class ParkQuerySet(ScopedQuerySet):
    park_path = "pk"
    enterprise_path = "enterprises"  # an enterprise user sees the park their enterprise is in


class Park(TimestampedModel):
    code = models.CharField(
        _("park code"),
        max_length=32,
        unique=True,
        validators=[validate_park_code],
        help_text=_("Used in printed addresses and QR codes; it cannot change once created."),
    )
    name = models.CharField(_("park name"), max_length=100, unique=True)
    level = models.CharField(_("level"), max_length=20, choices=ParkLevel.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=ParkKind.choices)
    region = models.CharField(_("region"), max_length=100, help_text=_("e.g. 重庆市江北区"))
    address = models.CharField(_("address"), max_length=200, blank=True)
    management_committee = models.CharField(_("management committee"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = ParkQuerySet.as_manager()

    class Meta:
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parks:park-detail", kwargs={"code": self.code})


class EnterpriseQuerySet(ScopedQuerySet):
    park_path = "park"
    enterprise_path = "pk"


class Enterprise(TimestampedModel):
    credit_code = CreditCodeField(_("unified social credit code"), unique=True)
    name = models.CharField(_("enterprise name"), max_length=200)
    # Its own index, though (park, name) leads with it: the park's enterprises are counted from it, and the
    # names make the other several times wider (park page at 1.0: 29 -> 18 ms of database time with it).
    park = models.ForeignKey(Park, verbose_name=_("park"), on_delete=models.PROTECT, related_name="enterprises")
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True, validators=[validate_phone])
    is_key = models.BooleanField(_("key enterprise"), default=False)
    is_monitoring_point = models.BooleanField(_("business-environment monitoring point"), default=False)
    is_four_winds_point = models.BooleanField(_("'four winds' observation point"), default=False)
    has_special_supervisor = models.BooleanField(
        _("special supervisor representative"),
        default=False,
        help_text=_("A representative of this enterprise is appointed special supervisor."),
    )

    history = HistoricalRecords()
    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["name"]), models.Index(fields=["park", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("parks:enterprise-detail", kwargs={"pk": self.pk})


class LiaisonQuerySet(ScopedQuerySet):
    park_path = "enterprise__park"
    enterprise_path = "enterprise"

    def current(self):
        return self.filter(ended_on__isnull=True)


class Liaison(TimestampedModel):
    """一对一联系: a commission member is the named contact of an enterprise."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("commission member"),
        on_delete=models.PROTECT,
        related_name="liaisons",
        limit_choices_to={"role__in": sorted(COMMISSION_ROLES)},
    )
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="liaisons"
    )
    started_on = models.DateField(_("since"), default=timezone.localdate)
    ended_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = LiaisonQuerySet.as_manager()

    class Meta:
        verbose_name = _("liaison")
        verbose_name_plural = _("liaisons")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(ended_on__isnull=True),
                name="liaison_one_current_per_enterprise",
                violation_error_message=_("This enterprise already has a current liaison."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="liaison_ends_after_start",
                violation_error_message=_("A liaison cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} ↔ {self.enterprise}"

    def clean(self) -> None:
        super().clean()
        if self.member_id and self.member.role not in COMMISSION_ROLES:
            raise ValidationError({"member": _("Only commission members can be liaisons.")})

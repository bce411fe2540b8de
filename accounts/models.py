from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from simple_history.models import HistoricalRecords

from .choices import COMMISSION_ROLES, OUTSIDE_ROLES, PARK_ASSIGNED_ROLES, Role


def display_name_expression(path: str = ""):
    """``User.display_name`` computed by the database, for the user at the lookup ``path`` ("assigned_to__")."""
    return Coalesce(NullIf(F(f"{path}name"), Value("")), F(f"{path}username"))


class User(AbstractUser):
    """A person who logs in. What they may see follows from ``role`` and, for inspectors and park
    officers, ``parks``; for enterprise users, ``enterprise`` (see core.scoping)."""

    # Chinese names are one field; first_name/last_name stay empty.
    name = models.CharField(_("name"), max_length=50, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.INSPECTOR)
    parks = models.ManyToManyField(
        "parks.Park",
        verbose_name=_("assigned parks"),
        blank=True,
        related_name="staff",
        help_text=_("Inspectors and park officers see only the parks assigned to them."),
    )
    enterprise = models.ForeignKey(
        "parks.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    department = models.CharField(
        _("department"),
        max_length=100,
        blank=True,
        help_text=_("For park officers: the management committee office or functional department."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    history = HistoricalRecords(excluded_fields=["password", "last_login"], m2m_fields=[parks])

    #: The properties exports read from the database (see core.export_values).
    property_expressions = {"display_name": display_name_expression}

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_enterprise_iff_enterprise_role",
                condition=(Q(role=Role.ENTERPRISE) & Q(enterprise__isnull=False))
                | (~Q(role=Role.ENTERPRISE) & Q(enterprise__isnull=True)),
                violation_error_message=_("An enterprise user must be tied to exactly one enterprise."),
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @property
    def is_commission_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.COMMISSION_ADMIN)

    @property
    def is_commission_staff(self) -> bool:
        """Commission admins and inspectors: they may see complainant identities."""
        return self.is_commission_admin or (self.is_active and self.role in COMMISSION_ROLES)

    @property
    def is_staff_reader(self) -> bool:
        """Everyone who works on the portal's cases (all roles but enterprise users and supervisors)."""
        return self.is_active and (self.is_commission_admin or self.role not in OUTSIDE_ROLES)

    @property
    def has_assigned_parks(self) -> bool:
        return self.role in PARK_ASSIGNED_ROLES

    def park_ids_in_scope(self) -> list[int]:
        """The ids of the parks assigned to this user, as ``core.scoping`` filters by them: loaded with the
        user by ``accounts.backends`` on a request, else read once per user object (changing the assignments
        through ``user.parks`` forgets them, see ``accounts.signals``)."""
        if self.__dict__.get("assigned_park_ids") is None:
            self.assigned_park_ids = list(self.parks.order_by("pk").values_list("pk", flat=True)) if self.pk else []
        return self.assigned_park_ids

    @property
    def is_park_officer(self) -> bool:
        return self.role == Role.PARK_OFFICER

    @property
    def is_enterprise_user(self) -> bool:
        return self.role == Role.ENTERPRISE

    @property
    def is_supervisor(self) -> bool:
        """A special supervisor (特约监察员/廉情监督员): sees only their own appointments and observations
        (supervision.models); every other scoped queryset gives them nothing (core.scoping)."""
        return self.is_active and self.role == Role.SUPERVISOR and not self.is_superuser

    @property
    def can_edit_risk_ledgers(self) -> bool:
        """The park's own officers keep its integrity-risk ledgers; inspectors supervise them (read)."""
        return self.is_commission_admin or (self.is_active and self.role == Role.PARK_OFFICER)

    @property
    def can_view_connections(self) -> bool:
        """The connection views of enterprises and officials (collisions): commission staff and park officers
        (officers see people masked); not enterprises nor supervisors."""
        return self.is_active and (self.is_commission_staff or self.is_park_officer)

    @property
    def can_keep_ledgers(self) -> bool:
        """Admins, inspectors and park officers keep the ledgers of the parks they see."""
        return self.is_commission_admin or (self.is_active and self.role in PARK_ASSIGNED_ROLES)

    def clean(self) -> None:
        super().clean()
        if self.role == Role.ENTERPRISE and not self.enterprise_id:
            raise ValidationError({"enterprise": _("An enterprise user must be tied to an enterprise.")})
        if self.role != Role.ENTERPRISE and self.enterprise_id:
            raise ValidationError({"enterprise": _("Only enterprise users are tied to an enterprise.")})

    @classmethod
    def from_db(cls, db, field_names, values):
        user = super().from_db(db, field_names, values)
        user._password_as_saved = user.__dict__.get("password")  # absent when the field was deferred
        return user

    def save(self, *args, **kwargs) -> None:
        # Commission admins work in the Django admin; nobody else does.
        self.is_staff = self.is_superuser or self.role == Role.COMMISSION_ADMIN
        as_saved = getattr(self, "_password_as_saved", None)
        # Whatever path changed it: set_password (password page, admin form, changepassword), an unusable
        # password set in the admin, or the hash assigned directly.
        password_changed = not self._state.adding and (
            self._password is not None or (as_saved is not None and self.__dict__.get("password", as_saved) != as_saved)
        )
        super().save(*args, **kwargs)
        self._password_as_saved = self.__dict__.get("password")
        if password_changed or not self.is_active:
            # A token is a password for programs: it ends with the password, and with the account.
            self.auth_token_set.all().delete()


class ApiToken(AuthToken):
    """A django-rest-knox API token (only its SHA-512 digest and first characters are stored), under the
    portal's name: its owner lists and revokes it on /account/tokens/, commission admins in the admin."""

    class Meta:
        proxy = True
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

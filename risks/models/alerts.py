from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet

from ..choices import AlertStatus, Severity

#: High 3, medium 2, low 1: the alert list shows the most severe first. Indexed with the list's order
#: (``alert_list_order``), so it is written once, here.
SEVERITY_RANK = models.Case(
    models.When(severity=Severity.HIGH, then=models.Value(3)),
    models.When(severity=Severity.MEDIUM, then=models.Value(2)),
    default=models.Value(1),
    output_field=models.IntegerField(),
)


class AlertQuerySet(ScopedQuerySet):
    park_path = "park"

    def officer_filter(self, user):
        """Park officers see their park's alerts, less those of rules about things an officer sees only
        in part (another officer's rectification task)."""
        from ..rules import REGISTRY

        return self.exclude(rule__in=[code for code, rule in REGISTRY.items() if not rule.officers_see])

    def live(self):
        """Alerts whose condition still holds (whatever an inspector decided about them)."""
        return self.filter(cleared_at__isnull=True)

    def needing_attention(self):
        return self.live().filter(status=AlertStatus.OPEN)

    def for_object(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


class Alert(models.Model):
    """An early warning (预警) raised by a rule over the ledgers.

    At most one alert per (rule, object) is live — enforced by a partial unique index. The nightly
    rescan refreshes the facts of live alerts and clears those whose condition no longer holds; a
    dismissed alert stays dismissed while its condition holds, and a new one is raised only if the
    condition clears and comes back.
    """

    rule = models.CharField(_("rule"), max_length=40, db_index=True)
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    park = models.ForeignKey(
        "parks.Park", verbose_name=_("park"), on_delete=models.CASCADE, related_name="alerts", db_index=False
    )
    content_type = models.ForeignKey(ContentType, verbose_name=_("ledger"), on_delete=models.CASCADE, db_index=False)
    object_id = models.PositiveBigIntegerField(_("row id"))
    target = GenericForeignKey("content_type", "object_id")
    facts = models.JSONField(_("facts"), default=dict)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    cleared_at = models.DateTimeField(_("condition cleared at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    history = HistoricalRecords(excluded_fields=["last_seen", "facts"])
    objects = AlertQuerySet.as_manager()

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["cleared_at", "-first_seen", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "content_type", "object_id"],
                condition=Q(cleared_at__isnull=True),
                name="alert_one_live_per_rule_and_object",
            ),
        ]
        indexes = [
            models.Index(fields=["park", "status", "cleared_at"]),
            # A row's alerts (the ledgers' badges, a row's page): the unique index above leads with the rule.
            models.Index(fields=["content_type", "object_id", "cleared_at"], name="alert_target"),
            # The alert list's order (risks.views.alerts), so that a page reads 25 index entries.
            models.Index(SEVERITY_RANK.desc(), models.F("first_seen").desc(), models.F("id"), name="alert_list_order"),
            # The default order (Meta.ordering: the API's list), so that its page too reads only its own rows.
            models.Index(fields=["cleared_at", "-first_seen", "id"], name="alert_api_order"),
            # The alerts needing attention by park and severity (the dashboards), read from the index alone.
            models.Index(
                fields=["park", "severity"],
                include=["id"],
                condition=Q(cleared_at__isnull=True, status=AlertStatus.OPEN),
                name="alert_attention_by_park",
            ),
            # A park's alerts needing attention, newest first (an officer's desk) and by rule (the park page).
            models.Index(
                "park",
                models.F("first_seen").desc(),
                condition=Q(cleared_at__isnull=True, status=AlertStatus.OPEN),
                name="alert_attention_newest",
            ),
            models.Index(
                "park",
                "rule",
                models.F("first_seen").desc(),
                condition=Q(cleared_at__isnull=True, status=AlertStatus.OPEN),
                name="alert_attention_by_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_name} #{self.object_id}"

    def get_absolute_url(self) -> str:
        return reverse("risks:alert-detail", kwargs={"pk": self.pk})

    @property
    def rule_object(self):
        from ..rules import REGISTRY

        return REGISTRY.get(self.rule)

    @property
    def rule_name(self) -> str:
        rule = self.rule_object
        return str(rule.name) if rule else self.rule

    @property
    def explanation(self) -> str:
        rule = self.rule_object
        if rule is None:
            return self.rule
        try:
            return rule.describe(self.facts)
        except KeyError:  # facts kept before the rule's text asked for more; the next rescan refreshes them
            return str(rule.explanation)

    @property
    def links(self) -> list[tuple[str, str]]:
        rule = self.rule_object
        try:
            return rule.links(self.facts) if rule else []
        except KeyError:  # facts kept before the rule asked for more; the next rescan refreshes them
            return []

    def links_for(self, user) -> list[tuple[str, str]]:
        """``links`` as ``user`` may follow them: (label, address), the address empty where the row behind
        it is out of the user's scope (the label is then plain text, not a link to a 404); a link to a page
        the user may not open at all is left out. One query per kind of row linked."""
        links = self.links
        wanted: dict[type, set] = {}
        for link in links:
            row = getattr(link, "row", None)
            if row is not None:
                wanted.setdefault(row[0], set()).add(row[1])
        visible = {
            model: set(model.objects.visible_to(user).filter(pk__in=pks).values_list("pk", flat=True))
            for model, pks in wanted.items()
        }
        shown = []
        for link in links:
            label, url = link
            if getattr(link, "permission", "") and not getattr(user, link.permission, False):
                continue
            row = getattr(link, "row", None)
            if row is not None and row[1] not in visible[row[0]]:
                url = ""
            shown.append((label, url))
        return shown

    @property
    def is_live(self) -> bool:
        return self.cleared_at is None


class AlertTallyQuerySet(ScopedQuerySet):
    park_path = "park"
    officer_filter = AlertQuerySet.officer_filter  # the rules officers do not see, as on the alerts


class AlertTally(models.Model):
    """How many alerts need attention (``AlertQuerySet.needing_attention``) per park, rule and severity:
    kept in step with every alert written by a PostgreSQL trigger (``risks.tally``), which appends +1 and
    -1 rows; ``tally.compact`` sums the rows of each key. The dashboards sum it instead of counting every
    such alert (issue 13)."""

    # No constraint, no index of their own: rows of a key summing to 0 never hold a park back.
    park = models.ForeignKey(
        "parks.Park", on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    rule = models.CharField(max_length=40)
    severity = models.CharField(max_length=10, choices=Severity.choices)
    n = models.IntegerField()

    objects = AlertTallyQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["park", "severity"], include=["rule", "n"], name="alert_tally_park")]

    def __str__(self) -> str:
        return f"{self.park_id} {self.rule} {self.severity}: {self.n}"

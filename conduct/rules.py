"""The cross-check alert rules over the registrations. They join the one rule registry (risks.rules) from
here, the app that owns registrations, so the risk ledgers never import this app. Both rules watch
registrations, which a park officer sees only when they filed them: officers never see their alerts."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import DateField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from risks.choices import Severity
from risks.models import Contract, Project, Subsidy
from risks.rules import Rule, register
from risks.rules.base import Link, yuan
from risks.rules.subsidies import describe_tie, tie_annotations

from .models import ContactRegistration

#: Days after a registered contact within which a subsidy approval or a contract of the park to the same
#: enterprise raises ``contact_then_benefit`` (the contact day itself and the 90th day after it count).
BENEFIT_WINDOW_DAYS = 90


def benefit_window_days() -> int:
    return int(getattr(settings, "CONDUCT_BENEFIT_WINDOW_DAYS", BENEFIT_WINDOW_DAYS))


def _registrations():
    return ContactRegistration.objects.annotate(
        official_name=Coalesce(NullIf(F("official__name"), Value("")), F("official__username")),
        enterprise_name=F("enterprise__name"),
    )


def _window_end():
    return ExpressionWrapper(
        OuterRef("contact_on") + datetime.timedelta(days=benefit_window_days()), output_field=DateField()
    )


def benefits_after_contact():
    """The park's subsidy approvals and contracts to the registration's enterprise from the contact day to
    the end of the window, earliest first (correlated to an outer registration)."""
    subsidies = Subsidy.objects.filter(
        enterprise=OuterRef("enterprise"),
        park=OuterRef("park"),
        approved_on__gte=OuterRef("contact_on"),
        approved_on__lte=_window_end(),
    ).order_by("approved_on", "pk")
    contracts = Contract.objects.filter(
        contractor=OuterRef("enterprise"),
        project__park=OuterRef("park"),
        signed_on__gte=OuterRef("contact_on"),
        signed_on__lte=_window_end(),
    ).order_by("signed_on", "pk")
    return subsidies, contracts


@register
class ContactThenBenefit(Rule):
    """An official registered a contact with an enterprise that, within the window after the contact,
    received a subsidy approval or a contract from the official's park. Only what comes *after* the
    contact counts: a benefit before it is what the contact may have been about, not what followed it."""

    code = "contact_then_benefit"
    name = gettext_lazy("Contact followed by a subsidy or contract")
    severity = Severity.MEDIUM
    explanation = gettext_lazy(
        "An official registered a contact with an enterprise that, within 90 days after it, received a subsidy "
        "approval or a contract from the official's park."
    )
    model = ContactRegistration
    officers_see = False
    fact_fields = (
        "official_name",
        "enterprise_name",
        "contact_on",
        "subsidy_id",
        "subsidy_on",
        "subsidy_amount",
        "subsidy_policy",
        "contract_id",
        "contract_project_id",
        "contract_on",
        "contract_amount",
        "contract_number",
    )

    @classmethod
    def offenders(cls, today):
        subsidies, contracts = benefits_after_contact()
        return (
            _registrations()
            .filter(Q(Exists(subsidies)) | Q(Exists(contracts)))
            .annotate(
                subsidy_id=Subquery(subsidies.values("pk")[:1]),
                subsidy_on=Subquery(subsidies.values("approved_on")[:1]),
                subsidy_amount=Subquery(subsidies.values("approved_amount")[:1]),
                subsidy_policy=Subquery(subsidies.values("policy")[:1]),
                contract_id=Subquery(contracts.values("pk")[:1]),
                contract_project_id=Subquery(contracts.values("project_id")[:1]),
                contract_on=Subquery(contracts.values("signed_on")[:1]),
                contract_amount=Subquery(contracts.values("amount")[:1]),
                contract_number=Subquery(contracts.values("number")[:1]),
            )
        )

    @classmethod
    def describe(cls, facts):
        contact = datetime.date.fromisoformat(facts["contact_on"])
        parts = []
        if facts["subsidy_id"]:
            parts.append(
                _("%(days)d days later the park approved its subsidy “%(policy)s” of %(amount)s")
                % {
                    "days": (datetime.date.fromisoformat(facts["subsidy_on"]) - contact).days,
                    "policy": facts["subsidy_policy"],
                    "amount": yuan(facts["subsidy_amount"]),
                }
            )
        if facts["contract_id"]:
            parts.append(
                _("%(days)d days later the park signed contract %(number)s of %(amount)s with it")
                % {
                    "days": (datetime.date.fromisoformat(facts["contract_on"]) - contact).days,
                    "number": facts["contract_number"],
                    "amount": yuan(facts["contract_amount"]),
                }
            )
        return _("%(official)s registered a contact with %(enterprise)s on %(date)s; %(what)s.") % {
            "official": facts["official_name"],
            "enterprise": facts["enterprise_name"],
            "date": facts["contact_on"],
            "what": "；".join(parts),
        }

    @classmethod
    def links(cls, facts):
        links = []
        if facts.get("subsidy_id"):
            url = reverse("risks:subsidy-detail", kwargs={"pk": facts["subsidy_id"]})
            label = _("Subsidy “%(policy)s”") % {"policy": facts["subsidy_policy"]}
            links.append(Link(label, url, row=(Subsidy, facts["subsidy_id"])))
        if facts.get("contract_id"):
            url = reverse("risks:project-detail", kwargs={"pk": facts["contract_project_id"]})
            label = _("Contract %(number)s") % {"number": facts["contract_number"]}
            links.append(
                Link(label, f"{url}#contract-{facts['contract_id']}", row=(Project, facts["contract_project_id"]))
            )
        return links


@register
class UndeclaredTie(Rule):
    """A registration with an enterprise in the park's conflict-of-interest register (an official in
    office, or a relative of one, runs it) that does not declare the tie."""

    code = "contact_undeclared_tie"
    name = gettext_lazy("Contact with a tied enterprise, tie not declared")
    severity = Severity.HIGH
    explanation = gettext_lazy(
        "The enterprise of a registered contact is in the park's conflict-of-interest register, and the "
        "registration does not declare the tie."
    )
    model = ContactRegistration
    officers_see = False
    fact_fields = (
        "official_name",
        "enterprise_name",
        "contact_on",
        "park_id",
        "tied_name",
        "tied_position",
        "tied_relation",
    )

    @classmethod
    def offenders(cls, today):
        ties = tie_annotations("enterprise", "park")
        return (
            _registrations()
            .filter(declares_tie=False)
            .annotate(
                tied_name=ties["official_name"], tied_position=ties["official_position"], tied_relation=ties["relation"]
            )
            .filter(tied_name__isnull=False)
        )

    @classmethod
    def describe(cls, facts):
        tie = describe_tie(
            {
                "official_name": facts["tied_name"],
                "official_position": facts["tied_position"],
                "relation": facts["tied_relation"],
            }
        )
        return _(
            "%(official)s registered a contact with %(enterprise)s on %(date)s without declaring a tie. %(tie)s"
        ) % {
            "official": facts["official_name"],
            "enterprise": facts["enterprise_name"],
            "date": facts["contact_on"],
            "tie": tie,
        }

    @classmethod
    def links(cls, facts):
        return [(_("Conflict-of-interest register"), reverse("risks:official-list") + f"?park={facts['park_id']}")]

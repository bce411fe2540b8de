"""The collision rules (数据碰撞): ledgers of the parks joined with the imported reference data on
normalised keys (``RegistrationKey``: ID hashes, normalised address, phone digits). They join the one
rule registry (risks.rules) from here, like the overdue-task rule of the inspections, so they share the
alert lifecycle, the after-change evaluation and the nightly rescan.

Each rule finds its offenders with one set-based join (``pk IN (…)``); the facts of the tie (which key,
the other side) are read by a correlated subquery for the offending rows only — except the shell cluster's,
which come from one query for all its offenders (``Rule.add_facts``): its clusters are many and counted.
Personal values reach the facts only masked (the key's ``label``: 张*, 138****5678): an alert is read by park officers too.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import connection
from django.db.models import F, JSONField
from django.db.models.expressions import RawSQL
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from parks.models import Enterprise
from risks.choices import Relation, Severity
from risks.models import Contract, Official, Project, Subsidy
from risks.rules import Rule, register
from risks.rules.base import Link

from .choices import KeyRole

KEY = "collisions_registrationkey"
ENTERPRISE = "parks_enterprise"


def _role(code: str) -> str:
    return str(KeyRole(code).label) if code in KeyRole.values else code


def _ids(sql: str) -> RawSQL:
    """The offenders' ids. Every SQL text of this module is a constant written here: no value is spliced in."""
    return RawSQL(sql, [])  # noqa: S611 - constant SQL, no parameters


def _tie(sql: str) -> RawSQL:
    """A correlated subquery returning one JSON object (as text: PostgreSQL and SQLite read it alike).
    ``json_build_object`` is written for PostgreSQL and becomes SQLite's ``json_object`` there."""
    if connection.vendor != "postgresql":
        sql = sql.replace("json_build_object(", "json_object(")
    return RawSQL(f"CAST(({sql}) AS text)", [], output_field=JSONField())  # noqa: S611 - constant SQL


def _enterprise_link(name: str, pk) -> Link:
    return Link(name, reverse("parks:enterprise-detail", kwargs={"pk": pk}), row=(Enterprise, pk))


def _graph_link(pk) -> Link:
    url = reverse("collisions:enterprise-graph", kwargs={"pk": pk})
    return Link(_("connection view"), url, row=(Enterprise, pk), permission=GRAPH_PERMISSION)


#: The user property the connection views ask (collisions.selectors.may_view_graphs).
GRAPH_PERMISSION = "can_view_connections"


class CollisionRule(Rule):
    """A rule whose offenders are ``pk IN (ids_sql)``. Evaluated for a few parks (after a ledger change), the
    park condition ``park_filter`` goes inside that join too, so that it reads those parks' rows only."""

    ids_sql: ClassVar[str]
    #: The condition on the parks, appended to ``ids_sql``; ``{}`` becomes the parameter marks.
    park_filter: ClassVar[str]

    @classmethod
    def ids(cls, park_ids=None) -> RawSQL:
        if park_ids is None:
            return _ids(cls.ids_sql)
        marks = ", ".join(["%s"] * len(park_ids)) or "NULL"
        return RawSQL(f"{cls.ids_sql} {cls.park_filter.format(marks)}", list(park_ids))  # noqa: S611 - marks only

    @classmethod
    def offenders(cls, today, park_ids=None):
        return cls.annotated(cls.model.objects.filter(pk__in=cls.ids(park_ids)).order_by())

    @classmethod
    def annotated(cls, queryset):
        raise NotImplementedError

    @classmethod
    def in_parks(cls, offenders, park_ids):
        narrowed = cls.offenders(None, list(park_ids)).annotate(alert_park_id=F(cls.park_path()))
        return super().in_parks(narrowed, park_ids)


# --- 围标串标 ---------------------------------------------------------------------------------------------

#: The enterprises on a project: its contractors and its bidders (won or not). ``side`` ranks how each took
#: part (1 contractor, 2 winning bidder, 3 bidder) for the alert's text; the offenders' join reads no side.
_PARTICIPANTS = """(SELECT project_id, contractor_id AS enterprise_id FROM risks_contract
    UNION ALL SELECT project_id, enterprise_id FROM risks_bid)"""
_SIDES = """(SELECT project_id, contractor_id AS enterprise_id, 1 AS side FROM risks_contract
    UNION ALL SELECT project_id, enterprise_id, CASE WHEN won THEN 2 ELSE 3 END FROM risks_bid)"""


def _project_pairs(participants: str) -> str:
    return f"""
    FROM {participants} p1
    JOIN {ENTERPRISE} e1 ON e1.id = p1.enterprise_id
    JOIN {KEY} k1 ON k1.credit_code = e1.credit_code
    JOIN {KEY} k2 ON k2.kind = k1.kind AND k2.value = k1.value AND k2.credit_code <> k1.credit_code
    JOIN {ENTERPRISE} e2 ON e2.credit_code = k2.credit_code
    JOIN {participants} p2 ON p2.project_id = p1.project_id AND p2.enterprise_id = e2.id
"""


#: The projects with a tie: one pass over their enterprises' keys, grouped — a key held by two credit codes
#: among a project's enterprises. No self-join of the participants: a planner joining each project's
#: participants pairwise before the keys (seen at 20,000 contracts: 35 s instead of 0.6 s) has nothing to flip.
_TIED_PROJECTS = f"""SELECT p1.project_id FROM {_PARTICIPANTS} p1
    JOIN {ENTERPRISE} e1 ON e1.id = p1.enterprise_id
    JOIN {KEY} k1 ON k1.credit_code = e1.credit_code
    {{where}}
    GROUP BY p1.project_id, k1.kind, k1.value HAVING count(DISTINCT k1.credit_code) > 1"""  # noqa: S608 - constant SQL

_SIDE_LABELS = {
    1: gettext_lazy("contractor"),
    2: gettext_lazy("winning bidder"),
    3: gettext_lazy("bidder who won nothing"),
}


@register
class BidRigging(CollisionRule):
    """A project two of whose enterprises — contractors or bidders, won or not (the bid ledger) — have
    registrations sharing a person (legal representative or shareholder, either way round), a registered
    address or a phone number. One alert per project: the tender is what looks rigged; its text names one
    tie (a person first) and the enterprises on both sides."""

    code = "collision_bid_rigging"
    name = gettext_lazy("Bid-rigging signal")
    severity = Severity.HIGH
    explanation = gettext_lazy(
        "Two contractors or bidders of the same project share a legal representative, a shareholder, a "
        "registered address or a phone number in their registrations."
    )
    model = Project
    fact_fields = ("name", "tie")

    ids_sql = _TIED_PROJECTS.format(where="")
    park_filter = "WHERE p1.project_id IN (SELECT id FROM risks_project WHERE park_id IN ({}))"

    @classmethod
    def ids(cls, park_ids=None) -> RawSQL:
        if park_ids is None:
            return _ids(cls.ids_sql)
        marks = ", ".join(["%s"] * len(park_ids)) or "NULL"
        sql = _TIED_PROJECTS.format(where=cls.park_filter.format(marks))
        return RawSQL(sql, list(park_ids))  # noqa: S611 - marks only

    @classmethod
    def annotated(cls, queryset):
        return queryset.annotate(
            tie=_tie(
                "SELECT json_build_object('role', k1.role, 'other_role', k2.role, 'label', k2.label, "
                "'enterprise', e1.name, 'enterprise_id', e1.id, 'side', p1.side, "
                f"'other', e2.name, 'other_id', e2.id, 'other_side', p2.side) {_project_pairs(_SIDES)} "
                'WHERE p1.project_id = "risks_project"."id" '
                "ORDER BY k1.kind DESC, p1.side, p2.side, e1.id, e2.id LIMIT 1"
            ),
        )

    @classmethod
    def describe(cls, facts):
        tie = facts["tie"]
        return _(
            "Project “%(project)s”: %(enterprise)s (%(side)s) and %(other)s (%(other_side)s) share %(field)s: %(value)s."
        ) % {
            "project": facts["name"],
            "enterprise": tie["enterprise"],
            "side": _SIDE_LABELS.get(tie["side"], ""),
            "other": tie["other"],
            "other_side": _SIDE_LABELS.get(tie["other_side"], ""),
            "field": _shared(tie["role"], tie["other_role"]),
            "value": tie["label"],
        }

    @classmethod
    def links(cls, facts):
        tie = facts["tie"]
        return [
            _enterprise_link(tie["enterprise"], tie["enterprise_id"]),
            _enterprise_link(tie["other"], tie["other_id"]),
            _graph_link(tie["enterprise_id"]),
        ]


def _shared(role: str, other_role: str) -> str:
    """ "shareholder" when both sides hold the key the same way; "legal representative / shareholder" else."""
    if role == other_role:
        return _role(role)
    return f"{_role(role)} / {_role(other_role)}"


# --- 隐性关联 ---------------------------------------------------------------------------------------------


def _tie_pairs() -> str:
    """Rows ``x`` (a subsidy or contract, with ``x.enterprise_id`` and ``x.park_id``) whose
    enterprise's registration names a person registered as an official of that park or their relative,
    with no entry for that official and enterprise in the conflict-of-interest register."""
    return f"""
    JOIN {ENTERPRISE} e ON e.id = x.enterprise_id
    JOIN {KEY} k ON k.credit_code = e.credit_code AND k.kind = 'person'
    JOIN collisions_relative r ON r.id_hash = k.value
    JOIN risks_official o ON o.id = r.official_id AND o.park_id = x.park_id AND o.is_active
    WHERE NOT EXISTS (SELECT 1 FROM risks_officialtie t WHERE t.official_id = o.id AND t.enterprise_id = e.id)
    """  # noqa: S608 - constant SQL


_TIE_FACTS = (
    "SELECT json_build_object('role', k.role, 'relation', r.relation, "
    "'relative', substr(r.name, 1, 1) || substr('**********', 1, length(r.name) - 1), "
    "'official', o.name, 'position', o.position, 'official_id', o.id, 'park_id', o.park_id) "
)


class HiddenTieRule(CollisionRule):
    severity = Severity.HIGH

    @classmethod
    def tie_text(cls, facts) -> str:
        tie = facts["tie"]
        if tie["relation"] == Relation.SELF:
            who = _("official %(official)s (%(position)s) himself or herself") % tie
        else:
            who = _("%(relative)s, %(relation)s of official %(official)s (%(position)s)") % {
                **tie,
                "relation": Relation(tie["relation"]).label,
            }
        return _("the %(role)s of %(enterprise)s is %(who)s; the conflict-of-interest register has no entry.") % {
            "role": _role(tie["role"]),
            "enterprise": facts["enterprise_name"],
            "who": who,
        }

    @classmethod
    def links(cls, facts):
        tie = facts["tie"]
        official = reverse("risks:official-list") + f"?park={tie['park_id']}#official-{tie['official_id']}"
        return [
            _enterprise_link(facts["enterprise_name"], facts["enterprise_id"]),
            Link(tie["official"], official, row=(Official, tie["official_id"])),
            Link(
                _("connection view of the official"),
                reverse("collisions:official-graph", kwargs={"pk": tie["official_id"]}),
                row=(Official, tie["official_id"]),
                permission=GRAPH_PERMISSION,
            ),
            _graph_link(facts["enterprise_id"]),
        ]


@register
class SubsidyHiddenTie(HiddenTieRule):
    code = "collision_subsidy_tie"
    name = gettext_lazy("Subsidy to an enterprise tied to an official (unregistered)")
    explanation = gettext_lazy(
        "A subsidy went to an enterprise whose legal representative or shareholder is an official of the park "
        "or a registered relative of one, and the conflict-of-interest register says nothing."
    )
    model = Subsidy
    fact_fields = ("enterprise_name", "enterprise_id", "policy", "period", "tie")

    ids_sql = f"SELECT x.id FROM risks_subsidy x {_tie_pairs()}"  # noqa: S608 - constant SQL
    park_filter = "AND x.park_id IN ({})"

    @classmethod
    def annotated(cls, queryset):
        pairs = _tie_pairs()
        return queryset.annotate(
            enterprise_name=F("enterprise__name"),
            tie=_tie(
                f"{_TIE_FACTS} FROM risks_subsidy x {pairs} "
                'AND x.id = "risks_subsidy"."id" ORDER BY k.role, o.id LIMIT 1'
            ),
        )

    @classmethod
    def describe(cls, facts):
        return _("Subsidy “%(policy)s” %(period)s: %(tie)s") % {**facts, "tie": cls.tie_text(facts)}


_CONTRACT_AS_X = "(SELECT c.id, c.contractor_id AS enterprise_id, p.park_id FROM risks_contract c JOIN risks_project p ON p.id = c.project_id)"


@register
class ContractHiddenTie(HiddenTieRule):
    code = "collision_contract_tie"
    name = gettext_lazy("Contract with an enterprise tied to an official (unregistered)")
    explanation = gettext_lazy(
        "A contract went to an enterprise whose legal representative or shareholder is an official of the park "
        "or a registered relative of one, and the conflict-of-interest register says nothing."
    )
    model = Contract
    fact_fields = ("enterprise_name", "enterprise_id", "number", "tie")

    ids_sql = f"SELECT x.id FROM {_CONTRACT_AS_X} x {_tie_pairs()}"  # noqa: S608 - constant SQL
    park_filter = "AND x.park_id IN ({})"

    @classmethod
    def annotated(cls, queryset):
        pairs = _tie_pairs()
        return queryset.annotate(
            enterprise_name=F("contractor__name"),
            enterprise_id=F("contractor_id"),
            tie=_tie(
                f"{_TIE_FACTS} FROM {_CONTRACT_AS_X} x {pairs} "
                'AND x.id = "risks_contract"."id" ORDER BY k.role, o.id LIMIT 1'
            ),
        )

    @classmethod
    def describe(cls, facts):
        return _("Contract %(number)s: %(tie)s") % {**facts, "tie": cls.tie_text(facts)}


# --- 空壳/注销企业领取补贴 -----------------------------------------------------------------------------------

_GHOST_FROM = f"""
    FROM risks_subsidy s
    JOIN {ENTERPRISE} e ON e.id = s.enterprise_id
    JOIN collisions_registrationrecord g ON g.credit_code = e.credit_code
"""
_GHOST_WHEN = """(g.in_park_area IS FALSE
       OR (g.deregistered_on IS NOT NULL AND (s.approved_on > g.deregistered_on OR EXISTS (
            SELECT 1 FROM risks_subsidypayment p WHERE p.subsidy_id = s.id AND p.paid_on > g.deregistered_on))))"""


@register
class GhostRecipient(CollisionRule):
    code = "collision_ghost_recipient"
    name = gettext_lazy("Subsidy to a deregistered or out-of-area enterprise")
    severity = Severity.HIGH
    explanation = gettext_lazy(
        "A subsidy was approved or paid after the enterprise's deregistration date, or its registration says "
        "it is not in the park's area."
    )
    model = Subsidy
    fact_fields = ("enterprise_name", "enterprise_id", "policy", "period", "approved_on", "ghost")

    ids_sql = f"SELECT s.id {_GHOST_FROM} WHERE {_GHOST_WHEN}"
    park_filter = "AND s.park_id IN ({})"

    @classmethod
    def annotated(cls, queryset):
        return queryset.annotate(
            enterprise_name=F("enterprise__name"),
            ghost=_tie(
                "SELECT json_build_object('deregistered_on', g.deregistered_on, 'in_area', g.in_park_area, "  # noqa: S608 - constant SQL
                "'paid_after', (SELECT max(p.paid_on) FROM risks_subsidypayment p WHERE p.subsidy_id = s.id "
                f"AND p.paid_on > g.deregistered_on)) {_GHOST_FROM} "
                f'WHERE s.id = "risks_subsidy"."id" AND {_GHOST_WHEN}'
            ),
        )

    @classmethod
    def describe(cls, facts):
        ghost = facts["ghost"]
        reasons = []
        if ghost["deregistered_on"] and facts["approved_on"] > ghost["deregistered_on"]:
            reasons.append(_("approved on %(date)s") % {"date": facts["approved_on"]})
        if ghost["paid_after"]:
            reasons.append(_("paid on %(date)s") % {"date": ghost["paid_after"]})
        text = _("after its deregistration on %(date)s") % {"date": ghost["deregistered_on"]} if reasons else ""
        if ghost["in_area"] is not None and not ghost["in_area"]:  # PostgreSQL says false, SQLite 0
            reasons.append(_("its registration is not in the park's area"))
        return _("Subsidy “%(policy)s” %(period)s to %(enterprise)s: %(reasons)s %(after)s.") % {
            "policy": facts["policy"],
            "period": facts["period"],
            "enterprise": facts["enterprise_name"],
            "reasons": "，".join(reasons),
            "after": text,
        }

    @classmethod
    def links(cls, facts):
        return [_enterprise_link(facts["enterprise_name"], facts["enterprise_id"]), _graph_link(facts["enterprise_id"])]


# --- 空壳集群 ---------------------------------------------------------------------------------------------

_CLUSTERS = f"""
    FROM risks_subsidy s1
    JOIN {ENTERPRISE} e1 ON e1.id = s1.enterprise_id
    JOIN {KEY} k1 ON k1.credit_code = e1.credit_code AND k1.kind IN ('address', 'phone')
    JOIN {KEY} k2 ON k2.kind = k1.kind AND k2.value = k1.value AND k2.credit_code <> k1.credit_code
    JOIN {ENTERPRISE} e2 ON e2.credit_code = k2.credit_code
    JOIN risks_subsidy s2 ON s2.enterprise_id = e2.id AND s2.policy = s1.policy AND s2.period = s1.period
         AND s2.park_id = s1.park_id
"""


@register
class ShellCluster(CollisionRule):
    code = "collision_shell_cluster"
    name = gettext_lazy("Subsidy recipients sharing an address or phone")
    severity = Severity.MEDIUM
    explanation = gettext_lazy(
        "Several recipients of the same policy and period share a registered address or a phone number."
    )
    model = Subsidy
    fact_fields = ("enterprise_name", "enterprise_id", "policy", "period", "cluster")
    added_facts = ("cluster",)

    ids_sql = f"SELECT s1.id {_CLUSTERS}"
    park_filter = "WHERE s1.park_id IN ({})"

    @classmethod
    def annotated(cls, queryset):
        return queryset.annotate(enterprise_name=F("enterprise__name"))

    @classmethod
    def add_facts(cls, rows):
        """Every offender's cluster from one query over the same join (the offenders' parks): the first tie by
        key kind and the other enterprise's name, and how many other recipients share a key with it."""
        parks = sorted({row["alert_park_id"] for row in rows.values()})
        sql = (
            f"SELECT DISTINCT s1.id, k1.kind, k1.role, k1.label, e2.name, e2.id {_CLUSTERS} "
            f"{cls.park_filter.format(', '.join(['%s'] * len(parks)))} ORDER BY s1.id, k1.kind, e2.name"
        )
        clusters: dict = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, parks)
            for pk, _kind, role, label, name, other_id in cursor:
                if pk not in rows:
                    continue
                cluster = clusters.get(pk)
                if cluster is None:  # the first row of each offender is its tie, as the order says
                    cluster = clusters[pk] = {
                        "role": role,
                        "label": label,
                        "enterprise": name,
                        "enterprise_id": other_id,
                    }
                    cluster["others"] = set()
                cluster["others"].add(other_id)
        for pk in list(rows):
            cluster = clusters.get(pk)
            if cluster is None:  # corrected between the two reads: no longer an offender
                del rows[pk]
            else:
                rows[pk]["cluster"] = {**cluster, "others": len(cluster["others"])}

    @classmethod
    def describe(cls, facts):
        cluster = facts["cluster"]
        return _(
            "Subsidy “%(policy)s” %(period)s to %(enterprise)s: %(count)d other recipient(s) of it, such as "
            "%(other)s, share the %(field)s %(value)s."
        ) % {
            "policy": facts["policy"],
            "period": facts["period"],
            "enterprise": facts["enterprise_name"],
            "count": cluster["others"],
            "other": cluster["enterprise"],
            "field": _role(cluster["role"]),
            "value": cluster["label"],
        }

    @classmethod
    def links(cls, facts):
        cluster = facts["cluster"]
        return [
            _enterprise_link(facts["enterprise_name"], facts["enterprise_id"]),
            _enterprise_link(cluster["enterprise"], cluster["enterprise_id"]),
            _graph_link(facts["enterprise_id"]),
        ]

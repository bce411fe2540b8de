"""Reads of the collision data: the connection graphs (collisions.graph draws them) and the figure the
yearly evaluation may use."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from parks.models import Enterprise
from risks.models import Alert, Contract, Official, OfficialTie, Subsidy

from .choices import KeyKind
from .graph import Graph, Node
from .identity import mask_name, may_see_person
from .models import RegistrationKey, RegistrationPerson, RegistrationRecord, Relative
from .rules import BidRigging, ContractHiddenTie, GhostRecipient, ShellCluster, SubsidyHiddenTie

FIRST_HOP, SECOND_HOP = 16, 32
LINE_OF_KIND = {KeyKind.PERSON: "person", KeyKind.ADDRESS: "address", KeyKind.PHONE: "phone"}


def may_view_graphs(user) -> bool:
    """Who may open a connection view: ``User.can_view_connections`` (the pages' links ask it too)."""
    return user.is_authenticated and user.can_view_connections


class _Names:
    """The real names behind person keys, fetched at once — only for those who may see them."""

    def __init__(self, user, hashes: set[str]):
        self.names: dict[str, str] = {}
        if may_see_person(user) and hashes:
            for digest, name in RegistrationRecord.objects.filter(legal_rep_id_hash__in=hashes).values_list(
                "legal_rep_id_hash", "legal_rep_name"
            ):
                self.names.setdefault(digest, name)
            for digest, name in RegistrationPerson.objects.filter(id_hash__in=hashes).values_list("id_hash", "name"):
                self.names.setdefault(digest, name)
            for digest, name in Relative.objects.filter(id_hash__in=hashes).values_list("id_hash", "name"):
                self.names.setdefault(digest, name)

    def of(self, key: RegistrationKey) -> str:
        return self.names.get(key.value, key.label) if key.kind == KeyKind.PERSON else key.label


def _enterprise_node(enterprise, visible: set[int], hop: int, parent: str = "") -> Node:
    if enterprise is not None and enterprise.pk in visible:
        return Node(
            f"e{enterprise.pk}", "enterprise", enterprise.name, enterprise_graph_url(enterprise.pk), hop, parent
        )
    key = f"e{enterprise.pk}" if enterprise is not None else f"x{parent}"
    return Node(key, "enterprise", _("enterprise outside your scope"), "", hop, parent)


def enterprise_graph_url(pk: int) -> str:
    return reverse("collisions:enterprise-graph", kwargs={"pk": pk})


def enterprise_graph(*, enterprise: Enterprise, user) -> Graph:
    graph = Graph(title=_("Ties of %(name)s") % {"name": enterprise.name})
    center = Node(f"e{enterprise.pk}", "enterprise", enterprise.name, enterprise.get_absolute_url(), 0)
    graph.add(center, limit=1)
    own = list(RegistrationKey.objects.filter(credit_code=enterprise.credit_code).order_by("kind", "role"))
    shared = list(
        RegistrationKey.objects.filter(
            Q(*[Q(kind=k.kind, value=k.value) for k in own], _connector=Q.OR) if own else Q(pk__in=[])
        )
        .exclude(credit_code=enterprise.credit_code)
        .order_by("credit_code")[: SECOND_HOP * 2]
    )
    person_hashes = {k.value for k in own if k.kind == KeyKind.PERSON}
    names = _Names(user, person_hashes)
    others = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in={k.credit_code for k in shared})}
    visible = set(
        Enterprise.objects.visible_to(user).filter(pk__in=[e.pk for e in others.values()]).values_list("pk", flat=True)
    )
    for key in own:
        node = Node(f"k{key.kind}{key.value[:16]}", key.kind, names.of(key), "", 1)
        if graph.add(node, limit=FIRST_HOP):
            graph.tie(center.key, node.key, LINE_OF_KIND[key.kind], key.get_role_display())
    for key in shared:
        parent = f"k{key.kind}{key.value[:16]}"
        other = _enterprise_node(others.get(key.credit_code), visible, 2, parent)
        if other.key.startswith("x"):
            other.key = f"r{key.credit_code}"
        if graph.add(other, limit=SECOND_HOP):
            graph.tie(parent, other.key, LINE_OF_KIND[key.kind], key.get_role_display())
    _relatives_of(graph, person_hashes, user)
    _ledgers_of(graph, enterprise, user, center.key)
    return graph


def _relatives_of(graph: Graph, hashes: set[str], user) -> None:
    """Officials whose relative (or who themselves) hold one of these person keys: the second hop."""
    visible = set(Official.objects.visible_to(user).values_list("pk", flat=True)) if hashes else set()
    for relative in Relative.objects.filter(id_hash__in=hashes).select_related("official"):
        official = relative.official
        parent = f"k{KeyKind.PERSON}{relative.id_hash[:16]}"
        if official.pk in visible:
            node = Node(f"o{official.pk}", "official", official.name, official_graph_url(official.pk), 2, parent)
        else:
            node = Node(f"o{official.pk}", "official", _("official outside your scope"), "", 2, parent)
        if graph.add(node, limit=SECOND_HOP):
            graph.tie(parent, node.key, "register", relative.get_relation_display())


def _ledgers_of(graph: Graph, enterprise: Enterprise, user, center: str) -> None:
    contracts = Contract.objects.visible_to(user).filter(contractor=enterprise).select_related("project")
    for contract in contracts.order_by("-signed_on")[:FIRST_HOP]:
        node = Node(f"c{contract.pk}", "contract", contract.number, contract.get_absolute_url(), 1)
        if graph.add(node, limit=FIRST_HOP):
            graph.tie(center, node.key, "ledger", contract.project.name)
    for subsidy in Subsidy.objects.visible_to(user).filter(enterprise=enterprise).order_by("-approved_on")[:FIRST_HOP]:
        node = Node(f"s{subsidy.pk}", "subsidy", f"{subsidy.policy} {subsidy.period}", subsidy.get_absolute_url(), 1)
        if graph.add(node, limit=FIRST_HOP):
            graph.tie(center, node.key, "ledger", _("subsidy"))


def official_graph_url(pk: int) -> str:
    return reverse("collisions:official-graph", kwargs={"pk": pk})


def official_graph(*, official: Official, user) -> Graph:
    """An official, their registered relatives (hop 1, named or masked), and the enterprises whose
    registration names one of them, and the enterprises of the conflict-of-interest register (hop 2 / 1)."""
    graph = Graph(title=_("Ties of official %(name)s") % {"name": official.name})
    center = Node(f"o{official.pk}", "official", official.name, official.get_absolute_url(), 0)
    graph.add(center, limit=1)
    relatives = list(official.relatives.all())
    seeing = may_see_person(user)
    for relative in relatives:
        node = Node(
            f"k{KeyKind.PERSON}{relative.id_hash[:16]}",
            "person",
            relative.name if seeing else mask_name(relative.name),
            "",
            1,
        )
        if graph.add(node, limit=FIRST_HOP):
            graph.tie(center.key, node.key, "register", relative.get_relation_display())
    keys = list(
        RegistrationKey.objects.filter(kind=KeyKind.PERSON, value__in=[r.id_hash for r in relatives])[:SECOND_HOP]
    )
    ties = list(OfficialTie.objects.filter(official=official).select_related("enterprise"))
    codes = {k.credit_code for k in keys}
    enterprises = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    ids = [e.pk for e in enterprises.values()] + [t.enterprise_id for t in ties]
    visible = set(Enterprise.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
    for tie in ties:
        node = _enterprise_node(tie.enterprise, visible, 1)
        if graph.add(node, limit=FIRST_HOP):
            graph.tie(center.key, node.key, "register", _("conflict-of-interest register"))
    for key in keys:
        parent = f"k{KeyKind.PERSON}{key.value[:16]}"
        node = _enterprise_node(enterprises.get(key.credit_code), visible, 2, parent)
        if node.key.startswith("x"):
            node.key = f"r{key.credit_code}"
        if graph.add(node, limit=SECOND_HOP):
            graph.tie(parent, node.key, "person", key.get_role_display())
    return graph


# --- the evaluation's figure --------------------------------------------------------------------------------

COLLISION_RULES = (BidRigging, SubsidyHiddenTie, ContractHiddenTie, GhostRecipient, ShellCluster)


def evaluation_counts(source_code: str, year: int, today: datetime.date) -> dict[int, tuple[int, int]]:
    """For the evaluation indicator "collision alerts left open" (``source_code`` "collision_open"):
    per park, (numerator, denominator) = (collision alerts first seen in ``year`` and still live and open
    on ``today``, collision alerts first seen in ``year``). A park without such alerts is absent. Other
    source codes: {}."""
    if source_code != "collision_open":
        return {}
    del today  # the live state is the state of today: alerts are kept current by the rules
    codes = [rule.code for rule in COLLISION_RULES]
    rows = (
        Alert.objects.filter(rule__in=codes, first_seen__year=year)
        .values("park_id")
        .annotate(total=Count("pk"), open=Count("pk", filter=Q(cleared_at__isnull=True, status="open")))
    )
    return {row["park_id"]: (row["open"], row["total"]) for row in rows}

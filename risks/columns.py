"""The column list of each risk ledger: its list page's table, its export and its import template are built
from these declarations (see core.columns). A column appears in all three unless it says otherwise:
``table=False`` (export and import only), ``export=False``, ``parse=None`` or ``Shown`` (not imported).
Projects (created by the contracts' import) and alerts have no import of their own."""

from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.columns import Column, Columns, Shown, park_code, shown
from core.import_cells import choice_parser, parse_amount, parse_bool, parse_date, parse_int
from parks.credit_code import parse_credit_code

from .choices import DecisionKind, MeetingKind, ProcurementMethod, Relation, RiskDomain
from .parsers import parse_level, parse_period


def park_name(path: str = "park") -> Column:
    """The park as the table shows it (its name); exports and imports carry its code (``park_code``)."""
    return Column("park_name", gettext_lazy("park"), f"{path}__name", export=False, parse=None, sort=f"{path}__code")


def _meeting(decision) -> str:
    return shown(decision.meeting_on) if decision.meeting_on else _("no meeting")


def _attendance(decision) -> str:
    return f"{decision.members_present}/{decision.members_entitled}" if decision.meeting_on else "—"


RISK_POINTS = Columns(
    pgettext_lazy("sheet", "Integrity risk points"),
    [
        park_name(),
        park_code(),
        Column(
            "domain",
            gettext_lazy("risk domain"),
            "get_domain_display",
            parse=choice_parser(RiskDomain),
            example="工程项目",
            sort="domain",
        ),
        Column(
            "description",
            gettext_lazy("risk description"),
            cell=lambda r: r.description[:40],
            example="招投标环节存在围标串标风险",
        ),
        Column("likelihood", gettext_lazy("likelihood"), table=False, parse=parse_level, example=3),
        Column("impact", gettext_lazy("impact"), table=False, parse=parse_level, example=4),
        Column(
            "level",
            gettext_lazy("risk level"),
            "get_level_display",
            cell=lambda r: f"{r.get_level_display()}（{r.likelihood}×{r.impact}）",
            parse=None,
            sort="level",
        ),
        Column("measures", gettext_lazy("prevention measures"), table=False, blank=True, example="严格执行招投标程序"),
        Column("department", gettext_lazy("responsible department"), blank=True, example="规划建设局"),
        Column("owner", gettext_lazy("responsible person"), table=False, blank=True, example="王五"),
        Column(
            "review_on",
            gettext_lazy("next review date"),
            parse=parse_date,  # required: every risk point has a review date
            example="2026-12-31",
            sort="review_on",
        ),
        Column("status", gettext_lazy("status"), "get_status_display", parse=None),
    ],
    link="description",
)

DECISIONS = Columns(
    gettext_lazy("'Three majors, one large' matters"),
    [
        park_name(),
        park_code(),
        Column(
            "kind",
            gettext_lazy("matter type"),
            "get_kind_display",
            parse=choice_parser(DecisionKind),
            example="大额资金使用",
        ),
        Column("subject", gettext_lazy("matter"), example="园区道路改造资金使用"),
        Column("amount", gettext_lazy("amount"), parse=parse_amount, blank=True, example="800,000.00", sort="amount"),
        Column(
            "meeting_kind",
            gettext_lazy("meeting type"),
            "get_meeting_kind_display",
            table=False,
            parse=choice_parser(MeetingKind),
            blank=True,
            example="党工委会议",
        ),
        Column(
            "meeting_on",
            gettext_lazy("meeting date"),
            cell=_meeting,
            parse=parse_date,
            blank=True,
            example="2026-03-02",
            sort="meeting_on",
        ),
        Column("attendance", gettext_lazy("present / entitled"), cell=_attendance, export=False, parse=None),
        Column(
            "members_entitled", gettext_lazy("members entitled"), table=False, parse=parse_int, blank=True, example=9
        ),
        Column("members_present", gettext_lazy("members present"), table=False, parse=parse_int, blank=True, example=7),
        Column("has_minutes", gettext_lazy("minutes kept"), parse=parse_bool, blank=True, example="是"),
        Column(
            "executed_on",
            gettext_lazy("carried out on"),
            table=False,
            parse=parse_date,
            blank=True,
            example="2026-03-10",
        ),
        Column("outcome", gettext_lazy("outcome"), "get_outcome_display", table=False, parse=None),
    ],
    link="subject",
)

SUBSIDIES = Columns(
    gettext_lazy("Subsidies"),
    [
        park_name(),
        park_code(),
        Column(
            "credit_code",
            gettext_lazy("unified social credit code"),
            "enterprise__credit_code",
            table=False,
            parse=parse_credit_code,
            example="91410400MA44XK1R2B",
        ),
        Column("enterprise", gettext_lazy("enterprise name"), "enterprise__name", parse=None),
        Column("policy", gettext_lazy("policy name"), example="研发投入后补助"),
        Column("period", gettext_lazy("period"), parse=parse_period, example="2026", sort="period"),
        Column(
            "approved_amount",
            gettext_lazy("approved amount"),
            parse=parse_amount,
            example="100,000.00",
            sort="approved_amount",
        ),
        Column("approved_on", gettext_lazy("approved on"), parse=parse_date, example="2026-03-01", sort="approved_on"),
        Column("paid_total", gettext_lazy("amount paid"), parse=None, sort="paid_total"),
        Column("outstanding", gettext_lazy("amount outstanding"), parse=None, sort="outstanding"),
    ],
    link="policy",
)


def _voucher(payment):
    if not payment.overpayment_confirmed:
        return payment.voucher_no
    return format_html('{} <span class="badge text-bg-danger">{}</span>', payment.voucher_no, _("over-payment"))


# A subsidy's page shows its payments' table (``without`` the subsidy's own columns).
PAYMENTS = Columns(
    gettext_lazy("Subsidy payments"),
    [
        Column(
            "credit_code",
            gettext_lazy("unified social credit code"),
            "subsidy__enterprise__credit_code",
            parse=parse_credit_code,
            example="91410400MA44XK1R2B",
        ),
        Column("policy", gettext_lazy("policy name"), "subsidy__policy", example="研发投入后补助"),
        Column("period", gettext_lazy("period"), "subsidy__period", parse=parse_period, example="2026"),
        Column("voucher_no", gettext_lazy("voucher number"), cell=_voucher, example="PZ-2026-0001"),
        Column("paid_on", gettext_lazy("paid on"), parse=parse_date, example="2026-03-20"),
        Column("amount", gettext_lazy("payment amount"), parse=parse_amount, example="40,000.00"),
        # The table says it with a badge on the voucher.
        Column("overpayment_confirmed", gettext_lazy("overpayment confirmed"), parse=None, table=False),
    ],
)

PROJECTS = Columns(
    gettext_lazy("Engineering projects"),
    [
        park_name(),
        park_code(),
        Shown("name", gettext_lazy("project name"), sort="name"),
        Shown("budget", gettext_lazy("project budget"), sort="budget"),
        Shown("started_on", gettext_lazy("start date"), sort="started_on"),
    ],
    link="name",
)

# A project's page shows its contracts' table (``without`` the project's own columns).
CONTRACTS = Columns(
    gettext_lazy("Contracts"),
    [
        park_code("project__park"),
        Column("project", gettext_lazy("project name"), "project__name", example="标准厂房建设项目"),
        Column("number", gettext_lazy("contract number"), example="HT-2026-001"),
        Column(
            "contractor",
            gettext_lazy("contractor's credit code"),
            "contractor__credit_code",
            parse=parse_credit_code,
            example="91410400MA44XK1R2B",
        ),
        Column("contractor_name", gettext_lazy("contractor"), "contractor__name", parse=None),
        Column(
            "procurement_method",
            gettext_lazy("procurement method"),
            "get_procurement_method_display",
            parse=choice_parser(ProcurementMethod),
            example="公开招标",
        ),
        Column("amount", gettext_lazy("contract amount"), parse=parse_amount, example="4,500,000"),
        # The project page's: with change orders (``with_changes``) and the running total it sets on each row.
        Shown("changes_total", gettext_lazy("change orders"), export=False),
        Shown("running_total", gettext_lazy("running total"), export=False),
        Column("signed_on", gettext_lazy("signed on"), parse=parse_date, example="2026-04-01"),
        Column("integrity_contract", gettext_lazy("integrity contract signed"), parse=parse_bool, example="是"),
        Column("audit", gettext_lazy("audit"), "get_audit_status_display", parse=None),
        # Last: the columns before it keep their places in the export.
        Column(
            "budget",
            gettext_lazy("project budget"),
            "project__budget",
            parse=parse_amount,
            blank=True,
            example="20,000,000",
        ),
    ],
)


def _won(bid):
    return format_html('<span class="badge text-bg-danger">{}</span>', _("winner")) if bid.won else "—"


# A project's page lists its bidders (``without`` the project's own columns), the winners marked.
BIDS = Columns(
    gettext_lazy("Bids"),
    [
        park_code("project__park"),
        Column("project", gettext_lazy("project name"), "project__name", example="标准厂房建设项目"),
        Column(
            "enterprise",
            gettext_lazy("bidder's credit code"),
            "enterprise__credit_code",
            parse=parse_credit_code,
            example="91410400MA44XK1R2B",
        ),
        Column("enterprise_name", gettext_lazy("bidder"), "enterprise__name", parse=None),
        Column("amount", gettext_lazy("bid amount"), parse=parse_amount, blank=True, example="4,450,000"),
        Column("submitted_on", gettext_lazy("bid submitted on"), parse=parse_date, example="2026-03-15"),
        Column("won", gettext_lazy("won the bid"), cell=_won, parse=parse_bool, example="否"),
    ],
)


CHANGE_ORDERS = Columns(
    gettext_lazy("Contract changes"),
    [
        Column("number", gettext_lazy("contract number"), "contract__number", example="HT-2026-001"),
        Column("changed_on", gettext_lazy("change date"), parse=parse_date, example="2026-05-01"),
        Column("amount", gettext_lazy("change amount"), parse=parse_amount, example="200,000"),
        Column("reason", gettext_lazy("reason for the change"), example="设计变更增加消防设施"),
    ],
)

# The register's page shows each official's ties (``without`` the official's own columns).
CONFLICTS = Columns(
    gettext_lazy("Conflict-of-interest register"),
    [
        park_code("official__park"),
        Column("official", gettext_lazy("official's name"), "official__name", example="孙某"),
        Column("position", gettext_lazy("position"), "official__position", example="管委会副主任"),
        Column(
            "credit_code",
            gettext_lazy("related enterprise's credit code"),
            "enterprise__credit_code",
            parse=parse_credit_code,
            example="91410400MA44XK1R2B",
        ),
        Column(
            "enterprise",
            gettext_lazy("related enterprise"),
            "enterprise__name",
            cell=lambda tie: format_html('<a href="{}">{}</a>', tie.enterprise.get_absolute_url(), tie.enterprise.name),
            parse=None,
        ),
        Column(
            "relation", gettext_lazy("relation"), "get_relation_display", parse=choice_parser(Relation), example="配偶"
        ),
        Shown("relative_name", gettext_lazy("relative's name")),
        Shown("note", gettext_lazy("note")),
    ],
)


def _severity_badge(alert):
    return format_html('<span class="badge severity-{}">{}</span>', alert.severity, alert.get_severity_display())


def _decision(alert):
    return alert.get_status_display() if alert.is_live else _("condition cleared")


ALERTS = Columns(
    gettext_lazy("Alerts"),
    [
        Shown("severity", gettext_lazy("severity"), "get_severity_display", cell=_severity_badge, sort="severity_rank"),
        Shown("rule", gettext_lazy("alert rule"), "rule_name"),
        Shown("park", gettext_lazy("park"), "park__name", sort="park__code"),
        Shown("explanation", gettext_lazy("what triggered it")),
        Shown("first_seen", gettext_lazy("first seen"), sort="first_seen"),
        Shown("last_seen", gettext_lazy("last seen"), table=False),
        Shown("status", gettext_lazy("decision"), "get_status_display", cell=_decision),
        Shown("cleared_at", gettext_lazy("condition cleared at"), table=False),
        Shown("reason", gettext_lazy("reason"), table=False),
    ],
    link="rule",
)

"""One column list per ledger: the list page's table, the export (the page's, and the worker's for a large
one) and the import (its template, the headers it expects) are built from the ledger's declaration, so a
column added there shows up in all of them; and what a ledger exports, its import reads back unchanged."""

import datetime
import io
import tempfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import resolve, reverse

from complaints.columns import COMPLAINTS
from core.columns import Column
from core.exports import build, view_for
from core.imports import REGISTRY
from inspections import columns as inspection_columns
from parks.columns import ENTERPRISES
from risks import columns as risk_columns
from tests.factories import (
    ChangeOrderFactory,
    ContractFactory,
    DecisionFactory,
    EnterpriseFactory,
    OfficialTieFactory,
    RiskPointFactory,
    SubsidyFactory,
    SubsidyPaymentFactory,
)
from tests.imports.test_imports import upload, xlsx

# (declaration, the list page that shows it as its table or exports it as a sheet, its importer or None)
LEDGERS = {
    "riskpoints": (risk_columns.RISK_POINTS, "risks:riskpoint-list", "riskpoints"),
    "decisions": (risk_columns.DECISIONS, "risks:decision-list", "decisions"),
    "subsidies": (risk_columns.SUBSIDIES, "risks:subsidy-list", "subsidies"),
    "payments": (risk_columns.PAYMENTS, "risks:subsidy-list", "payments"),
    "projects": (risk_columns.PROJECTS, "risks:project-list", None),
    "contracts": (risk_columns.CONTRACTS, "risks:project-list", "contracts"),
    "changeorders": (risk_columns.CHANGE_ORDERS, "risks:project-list", "changeorders"),
    "conflicts": (risk_columns.CONFLICTS, "risks:official-list", "conflicts"),
    "enterprises": (ENTERPRISES, "parks:enterprise-list", "enterprises"),
    "alerts": (risk_columns.ALERTS, "risks:alert-list", None),
    "inspections": (inspection_columns.INSPECTIONS, "inspections:inspection-list", None),
    "findings": (inspection_columns.FINDINGS, "inspections:inspection-list", None),
    "tasks": (inspection_columns.TASKS, "inspections:task-board", None),
    "visits": (inspection_columns.VISITS, "inspections:visit-list", None),
    "demands": (inspection_columns.DEMANDS, "inspections:demand-board", None),
    "complaints": (COMPLAINTS, "complaints:list", None),
}

PROBE = "探针列"  # a throw-away column's header


def _is_the_table(declaration, url_name) -> bool:
    return getattr(resolve(reverse(url_name)).func.view_class, "columns", None) is declaration


def _sheet_header(book, declaration) -> list:
    return [cell.value for cell in book[str(declaration.title)][1]]


def _page_export(client, url_name):
    response = client.get(reverse(url_name), {"export": "xlsx"})
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _worker_export(user, url_name):
    """What the Celery task writes for a large export (core.exports.export_run builds the same)."""
    name = resolve(reverse(url_name)).func.view_class.export_name
    with tempfile.TemporaryFile() as target:
        build(view_for(name, user, ""), "xlsx", target)
        target.seek(0)
        return openpyxl.load_workbook(io.BytesIO(target.read()))


def _template_header(client, importer, declaration) -> list:
    response = client.get(reverse("imports:template", args=[importer]))
    return [cell.value for cell in openpyxl.load_workbook(io.BytesIO(response.content))[str(declaration.title)][1]]


@pytest.mark.parametrize("ledger", LEDGERS)
def test_the_table_the_export_and_the_import_template_have_the_declared_headers(client, world, ledger):
    declaration, url_name, importer = LEDGERS[ledger]
    client.force_login(world["admin"])
    if _is_the_table(declaration, url_name):
        headers = [str(header["label"]) for header in client.get(reverse(url_name)).context["headers"]]
        assert headers == [str(c.label) for c in declaration.table()]
    assert _sheet_header(_page_export(client, url_name), declaration) == declaration.export_headers()
    assert _sheet_header(_worker_export(world["admin"], url_name), declaration) == declaration.export_headers()
    if importer:
        assert _template_header(client, importer, declaration) == [str(c.label) for c in declaration.imported()]


@pytest.mark.parametrize("ledger", LEDGERS)
def test_a_column_added_to_the_declaration_shows_up_everywhere(client, world, monkeypatch, ledger):
    declaration, url_name, importer = LEDGERS[ledger]
    probe = Column("probe", PROBE, "pk", example="1")
    monkeypatch.setattr(declaration, "columns", [*declaration.columns, probe])
    client.force_login(world["admin"])
    if _is_the_table(declaration, url_name):
        page = client.get(reverse(url_name))
        assert PROBE in [str(header["label"]) for header in page.context["headers"]]
        assert f"<th>{PROBE}</th>" in page.content.decode()
    assert PROBE in _sheet_header(_page_export(client, url_name), declaration)
    assert PROBE in _sheet_header(_worker_export(world["admin"], url_name), declaration)
    if importer:
        assert PROBE in _template_header(client, importer, declaration)
        expected = [c.header for c in REGISTRY[importer](world["admin"]).columns]
        assert PROBE in expected
        # The importer expects it: a file without it is refused, naming it.
        refused = upload(client, importer, xlsx([h for h in expected if h != PROBE], [["x"] * (len(expected) - 1)]))
        assert refused.context["report"].file_error and PROBE in refused.context["report"].file_error


def _ledger_rows(world):
    park, enterprise = world["park_a"], world["ent_a"]
    RiskPointFactory(park=park, review_on=datetime.date(2026, 12, 31), measures="定期轮岗", owner="王五")
    DecisionFactory(park=park)
    DecisionFactory(park=park, subject="无会议的事项", meeting_on=None, members_entitled=None, members_present=None)
    subsidy = SubsidyFactory(
        park=park, enterprise=enterprise, approved_amount=Decimal("100000.50"), approved_on=datetime.date(2026, 3, 1)
    )
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("40000.25"), paid_on=datetime.date(2026, 3, 20))
    contract = ContractFactory(project__park=park, contractor=enterprise, procurement_method="single_source")
    ChangeOrderFactory(contract=contract, amount=Decimal("12345.67"))
    OfficialTieFactory(official__park=park, enterprise=enterprise)
    EnterpriseFactory(park=park, industry="新材料", is_key=True)


@pytest.mark.parametrize("ledger", [name for name, (_d, _u, importer) in LEDGERS.items() if importer])
def test_an_export_imported_again_changes_nothing(client, world, ledger):
    declaration, url_name, importer = LEDGERS[ledger]
    _ledger_rows(world)
    client.force_login(world["admin"])
    book = _page_export(client, url_name)
    exported = book[str(declaration.title)].max_row - 1
    assert exported >= 1
    buffer = io.BytesIO()
    book.save(buffer)
    preview = upload(client, importer, buffer.getvalue(), "export.xlsx")
    report = preview.context["report"]
    assert report.ok, [(row.number, row.errors) for row in report.errors] or report.file_error
    assert preview.context["counts"] == {"new": 0, "updated": 0, "unchanged": exported, "error": 0}


def test_a_sortable_header_sorts_the_table_and_says_so_in_chinese(client, world):
    DecisionFactory(park=world["park_a"], subject="小额", amount=Decimal("1000"))
    DecisionFactory(park=world["park_a"], subject="大额", amount=Decimal("9000000"))
    client.force_login(world["inspector"])
    page = client.get(reverse("risks:decision-list"))
    amount = next(h for h in page.context["headers"] if h["label"] == risk_columns.DECISIONS.columns[4].label)
    assert amount["title"] == "按金额升序排列" and amount["url"].endswith("sort=amount")
    ascending = client.get(reverse("risks:decision-list") + amount["url"])
    assert [row.subject for row, _cells, _alerts in ascending.context["rows"]] == ["小额", "大额"]
    header = next(h for h in ascending.context["headers"] if h["state"])
    assert (
        header["state"] == "ascending"
        and header["title"] == "按金额降序排列"
        and header["url"].endswith("sort=-amount")
    )
    descending = client.get(reverse("risks:decision-list") + header["url"])
    assert [row.subject for row, _cells, _alerts in descending.context["rows"]] == ["大额", "小额"]
    assert "descending" not in descending.content.decode().replace('aria-sort="descending"', "")


def test_sort_choices_are_chinese(client, world):
    client.force_login(world["inspector"])
    body = client.get(reverse("complaints:list")).content.decode()
    assert "（降序）" in body and "(descending)" not in body


def test_who_complained_is_a_column_only_for_commission_staff(client, world):
    identity = [str(c.label) for c in COMPLAINTS.columns if c.identity]
    client.force_login(world["officer"])
    headers = [str(h["label"]) for h in client.get(reverse("complaints:list")).context["headers"]]
    assert headers and not set(headers) & set(identity)
    assert not set(_sheet_header(_page_export(client, "complaints:list"), COMPLAINTS)) & set(identity)
    client.force_login(world["inspector"])
    assert "投诉人" in [str(h["label"]) for h in client.get(reverse("complaints:list")).context["headers"]]
    assert {"投诉人", "联系电话"} <= set(_sheet_header(_page_export(client, "complaints:list"), COMPLAINTS))


SORTABLE = [
    (name, column.name)
    for name, (declaration, url_name, _importer) in LEDGERS.items()
    if _is_the_table(declaration, url_name)
    for column in declaration.table()
    if column.sort
]


@pytest.mark.parametrize(("ledger", "column"), SORTABLE)
def test_every_sortable_column_sorts_both_ways_on_the_page_and_in_the_export(client, world, ledger, column):
    _ledger_rows(world)
    url_name = LEDGERS[ledger][1]
    client.force_login(world["admin"])
    for sort in (column, f"-{column}"):
        page = client.get(reverse(url_name), {"sort": sort})
        assert page.status_code == 200
        assert [h["state"] for h in page.context["headers"] if h["state"]] == [
            "descending" if sort.startswith("-") else "ascending"
        ]
        export = client.get(reverse(url_name), {"sort": sort, "export": "csv"})
        assert export.status_code == 200


def test_a_park_page_lists_its_enterprises_with_the_declared_columns_but_the_park(client, world, monkeypatch):
    monkeypatch.setattr(ENTERPRISES, "columns", [*ENTERPRISES.columns, Column("probe", PROBE, "pk")])
    client.force_login(world["inspector"])
    page = client.get(reverse("parks:park-detail", args=[world["park_a"].code]))
    headers = [str(h["label"]) for h in page.context["enterprise_table"]["headers"]]
    assert headers == [str(c.label) for c in ENTERPRISES.table() if c.name != "park_name"]
    assert PROBE in headers and not any(h["url"] for h in page.context["enterprise_table"]["headers"])


# The pages that show a ledger's rows inside another page's, with its declaration less the columns the page
# itself says: (the page, where its context holds the table, the columns left out).
def _detail_pages(world):
    subsidy = SubsidyFactory(park=world["park_a"], enterprise=world["ent_a"])
    SubsidyPaymentFactory(subsidy=subsidy)
    contract = ContractFactory(project__park=world["park_a"], contractor=world["ent_a"])
    OfficialTieFactory(official__park=world["park_a"], enterprise=world["ent_a"])
    return {
        "payments": (subsidy.get_absolute_url(), lambda c: c["payment_table"], {"credit_code", "policy", "period"}),
        "contracts": (
            contract.project.get_absolute_url(),
            lambda c: c["contract_table"],
            {"project", "contractor", "budget"},
        ),
        "conflicts": (  # an official's card on the register: their ties
            reverse("risks:official-list"),
            lambda c: c["officials"][0][1],
            {"park", "official", "position", "credit_code"},
        ),
    }


@pytest.mark.parametrize("ledger", ["payments", "contracts", "conflicts"])
def test_a_detail_page_shows_its_rows_with_the_declared_columns_but_its_own(client, world, monkeypatch, ledger):
    declaration, list_url_name, _importer = LEDGERS[ledger]
    url, table_of, own = _detail_pages(world)[ledger]
    monkeypatch.setattr(declaration, "columns", [*declaration.columns, Column("probe", PROBE, "pk")])
    client.force_login(world["admin"])
    page = client.get(url)
    table = table_of(page.context)
    assert [str(h["label"]) for h in table["headers"]] == [
        str(c.label) for c in declaration.table() if c.name not in own
    ]
    assert f"<th>{PROBE}</th>" in page.content.decode()
    ((row, cells, _css),) = table["rows"]
    assert cells[-1] == str(row.pk)
    assert PROBE in _sheet_header(_page_export(client, list_url_name), declaration)


def test_the_project_page_runs_the_totals_of_its_contracts_with_their_change_orders(client, world):
    first = ContractFactory(
        project__park=world["park_a"], amount=Decimal("1000"), signed_on=datetime.date(2026, 4, 1), number="HT-1"
    )
    ChangeOrderFactory(contract=first, amount=Decimal("200.50"), reason="增加消防设施")
    ContractFactory(project=first.project, amount=Decimal("500"), signed_on=datetime.date(2026, 4, 2), number="HT-2")
    client.force_login(world["inspector"])
    page = client.get(first.project.get_absolute_url())
    labels = [str(h["label"]) for h in page.context["contract_table"]["headers"]]
    running = labels.index("累计")
    rows = page.context["contract_table"]["rows"]
    assert [(row.number, cells[running]) for row, cells, _css in rows] == [("HT-1", "1,200.50"), ("HT-2", "1,700.50")]
    body = page.content.decode()
    assert f'id="contract-{first.pk}"' in body and "增加消防设施" in body  # the alert's link lands on the row
    assert page.context["grand_total"] == Decimal("1700.50")


def test_the_subsidy_page_marks_a_confirmed_over_payment(client, world):
    subsidy = SubsidyFactory(park=world["park_a"], enterprise=world["ent_a"], approved_amount=Decimal("100"))
    SubsidyPaymentFactory(subsidy=subsidy, amount=Decimal("150"), voucher_no="PZ-OVER", overpayment_confirmed=True)
    SubsidyPaymentFactory(
        subsidy=subsidy, amount=Decimal("1"), voucher_no="PZ-PLAIN", paid_on=datetime.date(2026, 4, 1)
    )
    client.force_login(world["inspector"])
    rows = client.get(subsidy.get_absolute_url()).context["payment_table"]["rows"]
    assert [cells[0] for _row, cells, _css in rows] == [
        'PZ-OVER <span class="badge text-bg-danger">超额拨付</span>',
        "PZ-PLAIN",
    ]


def test_the_demands_board_links_each_demand_to_its_visit(client, world):
    from inspections.models import Demand, Visit

    visit = Visit.objects.create(
        park=world["park_a"], enterprise=world["ent_a"], visitor=world["inspector"], campaign="ten_thousand"
    )
    Demand.objects.create(visit=visit, kind="financing", description="融资难" * 20)
    client.force_login(world["inspector"])
    page = client.get(reverse("inspections:demand-board"))
    ((_demand, cells, _css),) = page.context["rows"]
    assert f'<a href="{visit.get_absolute_url()}">{world["ent_a"].name}</a>' in cells
    assert "融资难融资难" in page.content.decode() and "融资难" * 20 not in page.content.decode()  # shortened


def test_the_register_lists_each_officials_ties_with_the_relative_and_the_note(client, world):
    OfficialTieFactory(
        official__park=world["park_a"], enterprise=world["ent_a"], relative_name="孙小某", note="2025年入股"
    )
    client.force_login(world["inspector"])
    page = client.get(reverse("risks:official-list"))
    ((_official, ties),) = page.context["officials"]
    ((_tie, cells, _css),) = ties["rows"]
    link = f'<a href="{world["ent_a"].get_absolute_url()}">{world["ent_a"].name}</a>'
    assert link in cells and "孙小某" in cells and "2025年入股" in cells
    export = _page_export(client, "risks:official-list")[str(risk_columns.CONFLICTS.title)]
    assert {"孙小某", "2025年入股"} <= {cell.value for cell in export[2]}

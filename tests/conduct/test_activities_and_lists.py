"""The 清廉文化 ledger and the lists: pages, materials, imports (all rows or none), exports, the park page's
figures, the evaluation's counts and the lists' query counts."""

import datetime
import io

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from conduct import services
from conduct.imports import ActivityImporter, ListItemImporter
from conduct.models import ActivityMaterial, ConductListItem, IntegrityActivity
from conduct.selectors import evaluation_counts
from core.imports import run
from risks.engine import evaluate_all
from risks.models import Alert
from tests.complaints.conftest import png_file
from tests.factories import SubsidyFactory

from .conftest import register

ACTIVITY_HEADERS = ["园区编码", "日期", "类型", "标题", "对象", "参加人数", "备注"]
ITEM_HEADERS = ["清单", "条目编号", "条目", "报备中对应的情形", "园区代码（留空：全部园区）", "顺序"]


def xlsx(headers, rows, title) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def activity(world, park=None, **fields):
    values = {"park": park or world["park_a"], "held_on": datetime.date(2026, 4, 1), "kind": "warning",
              "title": "观看警示教育片", "audience": "cadres", "attendance": 40, **fields}  # fmt: skip
    return services.activity_save(actor=world["admin"], activity=IntegrityActivity(**values))


def test_attendance_cannot_be_negative_in_the_database(world):
    row = activity(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntegrityActivity.objects.filter(pk=row.pk).update(attendance=-1)


def test_an_officer_records_an_activity_with_materials_readable_only_in_scope(client, world):
    client.force_login(world["officer"])
    data = {"park": world["park_a"].pk, "held_on": "2026-04-02", "kind": "lecture", "title": "清廉讲堂第一讲",
            "audience": "enterprises", "attendance": "30", "note": "", "files": [png_file("签到表.png")]}  # fmt: skip
    response = client.post(reverse("conduct:activity-create"), data)
    saved = IntegrityActivity.objects.get()
    assert response.status_code == 302 and saved.created_by == world["officer"]
    material = ActivityMaterial.objects.get(activity=saved)
    assert "签到表.png" in client.get(saved.get_absolute_url()).content.decode()
    assert client.get(material.get_absolute_url()).status_code == 200
    client.force_login(world["idle_inspector"])
    assert client.get(material.get_absolute_url()).status_code == 404
    assert client.get(saved.get_absolute_url()).status_code == 404


def test_a_negative_attendance_is_refused_in_chinese_and_the_form_keeps_the_title(client, world):
    client.force_login(world["officer"])
    data = {"park": world["park_a"].pk, "held_on": "2026-04-02", "kind": "lecture", "title": "清廉讲堂第二讲",
            "audience": "cadres", "attendance": "-3", "note": ""}  # fmt: skip
    body = client.post(reverse("conduct:activity-create"), data).content.decode()
    assert "清廉讲堂第二讲" in body and "errorlist" in body
    assert not IntegrityActivity.objects.exists()


def test_the_activities_import_saves_all_rows_or_none(world):
    good = ["PARK-A", "2026-05-01", "廉政党课", "守住底线", "园区干部", 50, ""]
    bad = ["PARK-A", "2026-05-02", "不存在的类型", "另一场", "企业", -1, ""]
    title = str(ActivityImporter.title)
    report = run(ActivityImporter(world["officer"]), "a.xlsx", xlsx(ACTIVITY_HEADERS, [good, bad], title))
    assert not report.ok and not IntegrityActivity.objects.exists()
    assert any("类型" in header for row in report.errors for header, _message in row.errors)
    report = run(ActivityImporter(world["officer"]), "a.xlsx", xlsx(ACTIVITY_HEADERS, [good], title))
    assert report.ok and IntegrityActivity.objects.get().kind == "party_lesson"
    other = ["PARK-B", "2026-05-01", "廉政党课", "乙园区", "园区干部", 5, ""]
    report = run(ActivityImporter(world["officer"]), "a.xlsx", xlsx(ACTIVITY_HEADERS, [other], title))
    assert not report.ok and IntegrityActivity.objects.count() == 1


def test_the_lists_import_is_for_commission_admins_and_all_or_nothing(world):
    title = str(ListItemImporter.title)
    rows = [["负面清单", "负-9", "不得接受企业安排的娱乐活动", "其他", "", 9],
            ["正面清单", "A-1", "甲园区专属服务事项", "", "PARK-A", 1],
            ["负面清单", "负-10", "第三条", "", "", 10]]  # fmt: skip
    assert not ListItemImporter.permission(world["inspector"]) and ListItemImporter.permission(world["admin"])
    before = ConductListItem.objects.count()
    report = run(ListItemImporter(world["admin"]), "l.xlsx", xlsx(ITEM_HEADERS, rows, title))
    assert not report.ok and ConductListItem.objects.count() == before  # the third row has no kind
    rows[2][3] = "插手干预招投标"
    report = run(ListItemImporter(world["admin"]), "l.xlsx", xlsx(ITEM_HEADERS, rows, title))
    assert report.ok and ConductListItem.objects.count() == before + 3
    assert ConductListItem.objects.get(code="A-1").park == world["park_a"]
    assert ConductListItem.objects.get(code="负-10").negative_kind == "bidding"
    # The park's own item is seen with the park; other parks' staff do not see it.
    assert ConductListItem.objects.visible_to(world["inspector"]).filter(code="A-1").exists()
    assert ConductListItem.objects.visible_to(world["inspector"]).filter(code="负-1").exists()


def test_only_commission_admins_edit_the_lists(client, world):
    client.force_login(world["inspector"])
    assert client.get(reverse("conduct:item-list")).status_code == 200
    assert client.get(reverse("conduct:item-create")).status_code == 403
    client.force_login(world["admin"])
    data = {"list_kind": "negative", "park": "", "code": "负-20", "text": "未选情形", "negative_kind": "", "order": 1,
            "is_active": "on"}  # fmt: skip
    body = client.post(reverse("conduct:item-create"), data).content.decode()
    assert "请选择本负面清单条目对应的报备情形" in body and "未选情形" in body


def test_exports_write_the_lists_columns(client, world):
    register(world)
    activity(world)
    client.force_login(world["inspector"])
    for name, header in [
        ("conduct:registration-list", "交往日期"),
        ("conduct:activity-list", "参加人数"),
        ("conduct:item-list", "条目编号"),
    ]:
        response = client.get(reverse(name) + "?export=xlsx")
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert header in [cell.value for cell in book.active[1]]
        assert book.active.max_row >= 2


@pytest.mark.parametrize("name", ["conduct:registration-list", "conduct:activity-list", "conduct:item-list"])
def test_list_query_counts_do_not_grow_with_rows(client, world, name, django_assert_max_num_queries):
    client.force_login(world["inspector"])
    register(world)
    activity(world)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse(name)).status_code == 200
    for n in range(5):
        register(world, place=f"地点{n}")
        activity(world, title=f"活动{n}")
        ConductListItem.objects.create(list_kind="positive", code=f"X-{n}", text="服务")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(name)).status_code == 200


def test_the_park_page_counts_this_years_activities(client, world):
    today = timezone.localdate()
    activity(world, held_on=today)
    activity(world, held_on=today.replace(year=today.year - 1))
    activity(world, park=world["park_b"], held_on=today)
    client.force_login(world["inspector"])
    response = client.get(reverse("parks:park-detail", kwargs={"code": "PARK-A"}))
    assert response.context["conduct"]["activities"] == 1
    assert "本年清廉文化活动" in response.content.decode()
    client.force_login(world["enterprise_user"])
    assert "conduct" not in client.get(reverse("parks:park-detail", kwargs={"code": "PARK-A"})).context


def test_evaluation_counts(world):
    today = datetime.date(2026, 12, 31)
    register(world, contact_on=datetime.date(2026, 3, 1))
    register(world, contact_on=datetime.date(2025, 3, 1))
    register(world, contact_on=datetime.date(2026, 4, 1), meal_paid_by="enterprise", self_reported=True)
    SubsidyFactory(enterprise=world["ent_a"], approved_on=datetime.date(2026, 3, 20))
    evaluate_all()  # one contact_then_benefit alert (the 2026-03-01 contact), raised now: dated into 2026 below
    Alert.objects.filter(rule="contact_then_benefit").update(
        first_seen=datetime.datetime(2026, 5, 1, tzinfo=datetime.UTC)
    )
    activity(world, held_on=datetime.date(2026, 2, 1))
    activity(world, park=world["park_b"], held_on=datetime.date(2026, 2, 1))
    assert evaluation_counts("conduct_registrations", 2026, today) == {world["park_a"].pk: (2, 0)}
    # The self-report and the alert; not the refused attempts (never saved) nor the 2025 contact.
    assert evaluation_counts("conduct_negative_hits", 2026, today) == {world["park_a"].pk: (2, 0)}
    assert evaluation_counts("conduct_negative_hits", 2025, datetime.date(2025, 12, 31)) == {}
    assert evaluation_counts("conduct_activities", 2026, today) == {
        world["park_a"].pk: (1, 0),
        world["park_b"].pk: (1, 0),
    }
    assert evaluation_counts("conduct_activities", 2026, datetime.date(2026, 1, 31)) == {}
    with pytest.raises(ValueError):
        evaluation_counts("no_such_source", 2026, today)

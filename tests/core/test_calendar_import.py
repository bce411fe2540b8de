"""The State Council's arrangement imported from a file: all or nothing, each bad row explained."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.calendar_imports import CalendarImporter
from core.imports import run
from core.models import CalendarDay
from core.workdays import is_working_day

pytestmark = pytest.mark.django_db

GOOD = "日期,类型,名称\n2027-01-01,放假,元旦\n2027-02-06,放假,春节\n2027-02-20,调休上班,春节调休上班\n"


def test_a_file_with_one_bad_row_saves_nothing_and_says_which_row(world):
    data = GOOD + "2027-02-22,调休上班,春节调休上班\n2027-02-30,放假,春节\n2027-03-01,休假,错\n"
    report = run(CalendarImporter(world["admin"]), "安排.csv", data.encode())
    assert not report.ok
    errors = {row.number: " ".join(message for _column, message in row.errors) for row in report.errors}
    assert set(errors) == {5, 6, 7}
    assert "周六或周日" in errors[5]  # Monday 22 February cannot be a make-up working day
    assert "不是存在的日期" in errors[6]  # 30 February
    assert "放假、调休上班" in errors[7]
    assert not CalendarDay.objects.exists()
    assert is_working_day(datetime.date(2027, 1, 1))


def test_a_good_file_enters_the_arrangement_and_again_changes_nothing(world):
    report = run(CalendarImporter(world["admin"]), "安排.csv", GOOD.encode())
    assert report.ok and report.count("new") == 3
    assert not is_working_day(datetime.date(2027, 1, 1))
    assert is_working_day(datetime.date(2027, 2, 20))
    again = run(CalendarImporter(world["admin"]), "安排.csv", GOOD.encode())
    assert again.count("unchanged") == 3


def test_the_import_page_returns_to_the_calendar_with_what_was_recomputed(client, world):
    client.force_login(world["admin"])
    upload = reverse("imports:upload", args=["calendar"])
    preview = client.post(upload, {"file": SimpleUploadedFile("安排.csv", GOOD.encode())})
    token = preview.context["token"]
    assert token
    response = client.post(upload, {"token": token}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("calendar:year")
    page = response.content.decode()
    assert "没有未到期的期限受影响" in page or "个期限已重新计算" in page
    assert CalendarDay.objects.count() == 3


def test_the_template_has_the_three_columns(client, world):
    client.force_login(world["admin"])
    response = client.get(reverse("imports:template", args=["calendar"]))
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == ["日期", "类型", "名称"]


def test_the_demos_2027_sample_imports_cleanly_and_says_it_is_a_sample(world):
    from desks import demo

    world["admin"].username = "admin"
    world["admin"].save()
    demo.seed(io.StringIO())
    days = CalendarDay.objects.filter(date__year=2027)
    assert days.count() > 20 and all("演示样例" in day.name for day in days)
    assert not is_working_day(datetime.date(2027, 1, 1))

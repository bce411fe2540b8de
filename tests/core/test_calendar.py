"""The working-day calendar the commission keeps current: entered days take precedence over the
chinese-calendar package, a change is seen by the next deadline computed, the system check warns in
December when next year is unknown, the page is the commission admins' only."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core import workdays
from core.calendar import Entry, calendar_change, holiday_period
from core.checks import holiday_calendar_is_known
from core.models import CalendarDay
from core.workdays import add_working_days, is_working_day

D = datetime.date
HOLIDAY, WORKDAY = CalendarDay.Kind.HOLIDAY, CalendarDay.Kind.WORKDAY

pytestmark = pytest.mark.django_db


def test_new_years_day_2027_is_a_working_day_until_the_commission_enters_it(world):
    # chinese-calendar 1.11 knows nothing of 2027: Friday 1 January counts as a working day.
    assert is_working_day(D(2027, 1, 1))
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)

    calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])

    assert not is_working_day(D(2027, 1, 1))
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_a_make_up_saturday_counts_as_a_working_day(world):
    calendar_change(
        actor=world["admin"],
        save=holiday_period(first=D(2027, 2, 6), last=D(2027, 2, 13), name="春节", workdays_=[D(2027, 2, 20)]),
    )
    # Friday 5 February + 1 working day: the holiday runs to Saturday 13; Monday 15 February.
    assert add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 15)
    assert is_working_day(D(2027, 2, 20))  # a Saturday worked instead
    assert add_working_days(D(2027, 2, 19), 1) == D(2027, 2, 20)
    assert CalendarDay.objects.get(date=D(2027, 2, 20)).name == "春节调休上班"


def test_entered_days_take_precedence_over_the_package(world):
    assert is_working_day(D(2026, 12, 31))  # Thursday: a working day for chinese-calendar
    assert not is_working_day(D(2026, 10, 3))  # Saturday in the National Day holiday
    calendar_change(
        actor=world["admin"],
        save=[Entry(D(2026, 12, 31), HOLIDAY, "示例"), Entry(D(2026, 10, 3), WORKDAY, "示例调休上班")],
    )
    assert not is_working_day(D(2026, 12, 31))
    assert is_working_day(D(2026, 10, 3))


def test_a_weekday_cannot_be_a_make_up_working_day(world):
    with pytest.raises(ValidationError):
        calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 4), WORKDAY, "错误")])
    assert not CalendarDay.objects.exists()


def test_deleting_an_entry_gives_the_day_back_to_the_package(world):
    calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])
    calendar_change(actor=world["admin"], delete=[D(2027, 1, 1)])
    assert is_working_day(D(2027, 1, 1))


def test_a_change_made_by_another_process_is_seen_within_the_recheck_interval(world, settings):
    settings.WORKING_CALENDAR_RECHECK_SECONDS = 3600
    assert is_working_day(D(2027, 1, 1))  # this process has read the calendar
    # Another worker enters the day: this process's copy is not told directly.
    CalendarDay.objects.create(date=D(2027, 1, 1), kind=HOLIDAY, name="元旦")
    assert is_working_day(D(2027, 1, 1))  # within the interval: not asked yet
    settings.WORKING_CALENDAR_RECHECK_SECONDS = 0  # the interval has passed
    assert not is_working_day(D(2027, 1, 1))


def test_the_history_names_who_changed_a_day(world):
    calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])
    record = CalendarDay.objects.get().history.get()
    assert record.history_user == world["admin"]


def test_only_commission_admins_change_the_calendar(world):
    with pytest.raises(PermissionDenied):
        calendar_change(actor=world["inspector"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])


# --- the system check ----------------------------------------------------------------------------------


def _ids(today):
    return [warning.id for warning in holiday_calendar_is_known(None, today=today)]


def test_the_check_says_nothing_in_november_about_next_year():
    assert _ids(D(2026, 11, 30)) == []


def test_the_check_warns_from_1_december_when_next_year_is_unknown():
    assert _ids(D(2026, 12, 1)) == ["core.W002"]


def test_the_check_is_satisfied_by_the_entered_arrangement(world):
    calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])
    assert _ids(D(2026, 12, 1)) == []


def test_the_check_warns_when_this_year_is_unknown():
    assert _ids(D(2027, 3, 1)) == ["core.W001"]


# --- the page ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["inspector", "officer", "enterprise_user"])
def test_the_page_is_forbidden_to_everyone_but_commission_admins(client, world, role):
    client.force_login(world[role])
    assert client.get(reverse("calendar:year")).status_code == 403
    response = client.post(
        reverse("calendar:year"), {"action": "day", "date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 403
    assert client.get(reverse("imports:template", args=["calendar"])).status_code == 403
    assert not CalendarDay.objects.exists()


def test_an_admin_enters_the_spring_festival_in_one_go(client, world):
    client.force_login(world["admin"])
    page = client.get(reverse("calendar:year-of", args=[2027]))
    assert page.status_code == 200 and "工作日" in page.content.decode()
    response = client.post(
        reverse("calendar:year-of", args=[2027]),
        {"action": "period", "first": "2027-02-06", "last": "2027-02-13", "name": "春节", "workdays": "2027-02-20"},
        follow=True,
    )
    assert response.status_code == 200
    assert CalendarDay.objects.filter(kind=HOLIDAY).count() == 8
    assert CalendarDay.objects.filter(kind=WORKDAY).get().date == D(2027, 2, 20)
    assert "春节" in response.content.decode()


def test_an_admin_sees_why_a_make_up_day_is_refused(client, world):
    client.force_login(world["admin"])
    response = client.post(
        reverse("calendar:year-of", args=[2027]),
        {"action": "day", "date": "2027-01-04", "kind": "workday", "name": "错"},
    )
    assert response.status_code == 200
    assert "周六或周日" in response.content.decode()
    assert not CalendarDay.objects.exists()


def test_the_calendar_is_in_the_django_admin(client, world):
    client.force_login(world["admin"])
    response = client.post(
        reverse("admin:core_calendarday_add"), {"date": "2027-01-01", "kind": "holiday", "name": "元旦"}
    )
    assert response.status_code == 302
    assert not is_working_day(D(2027, 1, 1))
    day = CalendarDay.objects.get()
    client.post(reverse("admin:core_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert is_working_day(D(2027, 1, 1))


def test_workdays_reads_the_calendar_once_per_interval(world, settings, django_assert_max_num_queries):
    settings.WORKING_CALENDAR_RECHECK_SECONDS = 3600
    workdays.forget()
    with django_assert_max_num_queries(2):  # the signature and the days, once
        for n in range(200):
            add_working_days(D(2027, 1, 1) + datetime.timedelta(days=n), 5)

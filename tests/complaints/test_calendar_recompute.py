"""Entering a holiday recomputes the open complaints' deadlines it moves, and says which."""

import datetime
import zoneinfo

import pytest

from complaints import services
from core.calendar import Entry, calendar_change, change_summary
from core.models import CalendarDay

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
D = datetime.date
HOLIDAY = CalendarDay.Kind.HOLIDAY


def _aware(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def accepted_before_new_year(file_complaint, world, settings):
    settings.COMPLAINT_REPLY_WORKING_DAYS = {"default": 5}
    complaint, _ = file_complaint(now=_aware(2026, 12, 28))
    services.complaint_accept(complaint=complaint, actor=world["inspector"], now=_aware(2026, 12, 29))
    complaint.refresh_from_db()
    # Without 2027's holidays: Wed 30, Thu 31, Fri 1, Mon 4, Tue 5 January.
    assert complaint.reply_due == D(2027, 1, 5)
    return complaint


def test_entering_new_years_day_moves_an_open_reply_deadline(accepted_before_new_year, world):
    change = calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])
    accepted_before_new_year.refresh_from_db()
    assert accepted_before_new_year.reply_due == D(2027, 1, 6)
    assert [(item.old, item.new) for item in change.recomputed] == [(D(2027, 1, 5), D(2027, 1, 6))]
    assert "1 个期限已重新计算" in change_summary(change)[0]
    assert accepted_before_new_year.reference in change_summary(change)[0]


def test_a_replied_complaint_keeps_its_deadline(accepted_before_new_year, world):
    services.complaint_reply(
        complaint=accepted_before_new_year, actor=world["inspector"], text="答复", now=_aware(2026, 12, 30)
    )
    calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])
    accepted_before_new_year.refresh_from_db()
    assert accepted_before_new_year.reply_due == D(2027, 1, 5)


def test_a_complaint_awaiting_acceptance_gets_its_new_acceptance_deadline(file_complaint, world):
    complaint, _ = file_complaint(now=_aware(2026, 12, 31))
    assert complaint.accept_due == D(2027, 1, 1)
    change = calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])
    complaint.refresh_from_db()
    assert complaint.accept_due == D(2027, 1, 4)
    assert len(change.recomputed) == 1


def test_a_failed_change_recomputes_nothing(accepted_before_new_year, world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        calendar_change(
            actor=world["admin"],
            save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦"), Entry(D(2027, 1, 4), CalendarDay.Kind.WORKDAY, "错")],
        )
    accepted_before_new_year.refresh_from_db()
    assert accepted_before_new_year.reply_due == D(2027, 1, 5)
    assert not CalendarDay.objects.exists()


def test_the_admin_sees_which_deadlines_were_recomputed_after_saving(client, accepted_before_new_year, world):
    client.force_login(world["admin"])
    response = client.post(
        "/calendar/2027/", {"action": "day", "date": "2027-01-01", "kind": "holiday", "name": "元旦"}, follow=True
    )
    page = response.content.decode()
    assert "1 个期限已重新计算" in page
    assert accepted_before_new_year.reference in page and "2027-01-05 → 2027-01-06" in page


def test_a_deadline_set_meanwhile_with_the_old_calendar_is_corrected_by_the_second_pass(
    accepted_before_new_year, world, django_capture_on_commit_callbacks
):
    from core.tasks import calendar_recompute_again

    with django_capture_on_commit_callbacks() as callbacks:
        calendar_change(actor=world["admin"], save=[Entry(D(2027, 1, 1), HOLIDAY, "元旦")])
    assert callbacks  # the second pass is queued once the change commits
    # Another process, still counting with its old copy, sets a deadline as if 1 January were worked.
    Complaint = type(accepted_before_new_year)
    Complaint.objects.filter(pk=accepted_before_new_year.pk).update(reply_due=D(2027, 1, 5))
    calendar_recompute_again.delay("2027-01-01", "2027-01-01")
    accepted_before_new_year.refresh_from_db()
    assert accepted_before_new_year.reply_due == D(2027, 1, 6)

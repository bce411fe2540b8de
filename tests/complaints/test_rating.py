"""The complainant's rating, as in 12345 practice: a satisfied rating closes the case, a first "not
satisfied" reopens it with a new reply deadline, a second goes to the inspectors; the handling officer and
the park's inspectors hear of every rating."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from accounts.choices import Role
from complaints import services
from complaints.choices import EventKind, Rating, Status
from core.workdays import add_working_days
from tests.factories import UserFactory

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(month, day, hour=10):
    return datetime.datetime(2026, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def replied(file_complaint, world):
    """A complaint of park A filed Monday 2 March 2026, accepted, assigned to the officer and replied."""
    complaint, _code = file_complaint(now=at(3, 2))
    services.complaint_accept(complaint=complaint, actor=world["inspector"], now=at(3, 2, 11))
    services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=world["officer"], now=at(3, 2, 12))
    services.complaint_reply(complaint=complaint, actor=world["officer"], text="已办理", now=at(3, 4))
    complaint.refresh_from_db()
    return complaint


@pytest.mark.parametrize("rating", [Rating.SATISFIED, Rating.FAIRLY_SATISFIED])
def test_a_satisfied_rating_closes_the_case_and_says_so_in_the_public_timeline(replied, rating):
    services.complaint_rate(complaint=replied, rating=rating, comment="谢谢", now=at(3, 5))
    replied.refresh_from_db()
    assert replied.status == Status.CLOSED and replied.closed_at == at(3, 5)
    assert replied.rating == rating
    steps = list(replied.events.public().values_list("kind", "from_status", "to_status"))
    assert steps[-2:] == [(EventKind.RATED, Status.REPLIED, ""), (EventKind.CLOSED, Status.REPLIED, Status.CLOSED)]


def test_a_satisfied_rating_of_a_case_staff_closed_already_changes_nothing_but_the_rating(replied, world):
    services.complaint_close(complaint=replied, actor=world["inspector"], now=at(3, 5))
    services.complaint_rate(complaint=replied, rating=Rating.SATISFIED, now=at(3, 6))
    replied.refresh_from_db()
    assert replied.status == Status.CLOSED and replied.closed_at == at(3, 5)
    assert replied.events.filter(kind=EventKind.CLOSED).count() == 1


def test_the_first_not_satisfied_reopens_with_a_new_reply_deadline_in_working_days(replied, settings):
    settings.COMPLAINT_REPLY_WORKING_DAYS = {"default": 5}
    first_due = replied.reply_due
    # Rated on Friday 3 April 2026; 4–6 April is the Qingming holiday: five working days on is 13 April.
    services.complaint_rate(complaint=replied, rating=Rating.NOT_SATISFIED, comment="没解决", now=at(4, 3))
    replied.refresh_from_db()
    assert replied.status == Status.HANDLING and replied.reopen_count == 1
    assert replied.reply_due == add_working_days(datetime.date(2026, 4, 3), 5) == datetime.date(2026, 4, 13)
    assert replied.reply_due != first_due and replied.replied_on_time is None
    assert not replied.is_overdue(datetime.date(2026, 4, 10))


def test_the_second_not_satisfied_goes_to_the_inspectors_with_a_flag_in_the_queue(replied, world, client):
    services.complaint_rate(complaint=replied, rating=Rating.NOT_SATISFIED, now=at(3, 5))
    services.complaint_reply(complaint=replied, actor=world["officer"], text="再次答复", now=at(3, 6))
    services.complaint_rate(complaint=replied, rating=Rating.NOT_SATISFIED, comment="还是没解决", now=at(3, 9))
    replied.refresh_from_db()
    assert replied.status == Status.REPLIED and replied.escalated_at == at(3, 9)
    assert replied.events.filter(kind=EventKind.ESCALATED, is_public=True).exists()

    calm = services.complaint_submit(
        park=world["park_a"], category="other", subject="某科", description="另一件", is_anonymous=True
    ).complaint
    client.force_login(world["inspector"])
    queue = client.get(reverse("complaints:list"))
    assert "二次不满意" in queue.content.decode()
    flagged = client.get(reverse("complaints:list"), {"escalated": "true"})
    assert [c.pk for c in flagged.context["object_list"]] == [replied.pk]
    others = client.get(reverse("complaints:list"), {"escalated": "false"})
    assert [c.pk for c in others.context["object_list"]] == [calm.pk]
    assert (
        "二次不满意（2026-03-09 10:00）：已转纪检监察干部核查"
        in client.get(replied.get_absolute_url()).content.decode()
    )
    api = client.get(f"/api/complaints/{replied.pk}/").json()
    assert api["escalated_at"] is not None
    # The inspector closes it after looking into it.
    services.complaint_close(complaint=replied, actor=world["inspector"], note="已核查", now=at(3, 10))
    replied.refresh_from_db()
    assert replied.status == Status.CLOSED


@pytest.mark.parametrize("rating", Rating.values)
def test_the_officer_and_the_parks_inspectors_hear_of_every_rating(replied, world, rating):
    second_inspector = UserFactory(role=Role.INSPECTOR, parks=[world["park_a"]])
    other_park_inspector = UserFactory(role=Role.INSPECTOR, parks=[world["park_b"]])
    services.complaint_rate(complaint=replied, rating=rating, comment="举报人甲的意见", now=at(3, 5))
    told = {world["officer"], world["inspector"], second_inspector}
    for person in told:
        note = person.notifications.get(kind="complaint_rated")
        assert replied.reference in note.title and str(Rating(rating).label) in note.title
        assert note.link == replied.get_absolute_url()
        assert "举报人甲" not in note.title + note.body  # the comment stays on the handling page
    for person in (other_park_inspector, world["idle_inspector"], world["admin"]):
        assert not person.notifications.filter(kind="complaint_rated").exists()


def test_the_rating_in_the_browser_tells_the_complainant_the_case_is_closed(replied, public):
    session = public.session  # as after typing the tracking code
    session["tracked_complaints"] = [replied.pk]
    session.save()
    page = public.post(
        reverse("complaints:tracked", kwargs={"pk": replied.pk}),
        {"action": "rate", "rating": Rating.SATISFIED, "comment": ""},
        follow=True,
    )
    assert "感谢您的评价。投诉已办结。" in page.content.decode()

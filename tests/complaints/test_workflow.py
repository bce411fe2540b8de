import datetime
import threading
import time
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.choices import EventKind, Rating, Status
from complaints.models import Complaint, ComplaintEvent
from complaints.workflow import MACHINE
from core.workflow import TransitionNotAllowed

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def _aware(year, month, day, hour=10):
    return datetime.datetime(year, month, day, hour, tzinfo=SHANGHAI)


def test_the_whole_life_of_a_complaint_in_the_browser(client, public, world):
    """Scan the QR link, file anonymously, keep the code; staff accept, assign, handle and reply; the
    complainant reads the reply and rates it satisfied, which closes it."""
    park = world["park_a"]
    response = public.post(
        reverse("complaints:report", kwargs={"code": park.code}) + "?from=qr",
        {
            "category": "favours",
            "subject": "审批科某工作人员",
            "description": "办理审批时暗示要请吃饭。",
            "demand": "请查处",
            "is_anonymous": "on",
            "contact_name": "不应保存的名字",
        },
    )
    assert response.status_code == 302
    receipt = public.get(response.url)
    code = receipt.context["code"]
    assert code in receipt.content.decode()
    complaint = Complaint.objects.get()
    assert complaint.channel == "qr" and complaint.status == Status.SUBMITTED and complaint.is_anonymous

    inspector, officer = world["inspector"], world["officer"]
    client.force_login(inspector)
    detail = reverse("complaints:detail", args=[complaint.pk])
    assert client.post(detail, {"step": "accept", "note": "已受理"}).status_code == 302
    assert (
        client.post(detail, {"step": "assign", "officer": officer.pk, "instructions": "五日内答复"}).status_code == 302
    )
    client.force_login(officer)
    assert client.post(detail, {"step": "start"}).status_code == 302
    assert client.post(detail, {"step": "reply", "text": "已核实，对相关人员提醒谈话。"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED and complaint.replied_on_time

    # The complainant comes back another day, in another browser, with the code typed in lower case.
    public = Client(REMOTE_ADDR=public.defaults["REMOTE_ADDR"])
    found = public.post(reverse("complaints:track"), {"code": code.lower()})
    assert found.status_code == 302
    page = public.get(found.url).content.decode()
    assert "已核实，对相关人员提醒谈话。" in page
    assert "五日内答复" not in page  # the internal instructions stay internal
    assert officer.display_name not in page
    assert public.post(found.url, {"action": "rate", "rating": Rating.SATISFIED, "comment": "满意"}).status_code == 302

    # A satisfied rating closes the case: nobody has to click 办结.
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert complaint.rating == Rating.SATISFIED
    assert list(complaint.events.values_list("kind", flat=True)) == [
        EventKind.SUBMITTED,
        EventKind.ACCEPTED,
        EventKind.ASSIGNED,
        EventKind.STARTED,
        EventKind.REPLIED,
        EventKind.RATED,
        EventKind.CLOSED,
    ]
    closed = complaint.events.get(kind=EventKind.CLOSED)
    assert (closed.actor, closed.from_status, closed.to_status) == (None, Status.REPLIED, Status.CLOSED)


def _complaint_in(status, file_complaint, world):
    """A complaint brought to ``status`` through the services."""
    complaint, _code = file_complaint()
    path = {
        Status.SUBMITTED: [],
        Status.ACCEPTED: ["accept"],
        Status.REJECTED: ["reject"],
        Status.ASSIGNED: ["accept", "assign"],
        Status.HANDLING: ["accept", "assign", "start"],
        Status.REPLIED: ["accept", "assign", "reply"],
        Status.CLOSED: ["accept", "assign", "reply", "close"],
    }[status]
    for step in path:
        _do(step, complaint, world)
    complaint.refresh_from_db()
    assert complaint.status == status
    return complaint


def _do(step, complaint, world):
    inspector = world["inspector"]
    complaint.refresh_from_db()
    # The handler steps are the assigned officer's; before there is one, the inspector's.
    officer = world["officer"]
    handler = officer if complaint.assigned_to_id == officer.pk else inspector
    calls = {
        "accept": lambda: services.complaint_accept(complaint=complaint, actor=inspector),
        "reject": lambda: services.complaint_reject(complaint=complaint, actor=inspector, reason="不属于受理范围"),
        "assign": lambda: services.complaint_assign(complaint=complaint, actor=inspector, officer=officer),
        "start": lambda: services.complaint_start(complaint=complaint, actor=handler),
        "reply": lambda: services.complaint_reply(complaint=complaint, actor=handler, text="已办理"),
        "close": lambda: services.complaint_close(complaint=complaint, actor=inspector),
        "reopen": lambda: services.complaint_rate(complaint=complaint, rating=Rating.NOT_SATISFIED),
        "rate": lambda: services.complaint_rate(complaint=complaint, rating=Rating.SATISFIED),
        "supplement": lambda: services.complaint_supplement(complaint=complaint, text="补充"),
    }
    return calls[step]()


ILLEGAL = [
    (status, step)
    for status in Status.values
    for step in ("accept", "reject", "assign", "start", "reply", "close", "supplement")
    if status not in MACHINE[step].sources
]


@pytest.mark.parametrize(("status", "step"), ILLEGAL)
def test_every_illegal_step_is_refused_and_changes_nothing(file_complaint, world, status, step):
    complaint = _complaint_in(status, file_complaint, world)
    events_before = complaint.events.count()
    with pytest.raises(TransitionNotAllowed) as error:
        _do(step, complaint, world)
    assert "不能在当前状态" in error.value.message
    complaint.refresh_from_db()
    assert complaint.status == status
    assert complaint.events.count() == events_before


@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.ACCEPTED, Status.ASSIGNED, Status.HANDLING])
def test_rating_before_a_reply_is_refused(file_complaint, world, status):
    complaint = _complaint_in(status, file_complaint, world)
    with pytest.raises(TransitionNotAllowed):
        services.complaint_rate(complaint=complaint, rating=Rating.SATISFIED)


def test_an_illegal_step_in_the_browser_is_409_with_the_reason_and_keeps_the_typed_text(client, file_complaint, world):
    complaint = _complaint_in(Status.REPLIED, file_complaint, world)
    client.force_login(world["officer"])
    response = client.post(complaint.get_absolute_url(), {"step": "reply", "text": "我写了很长的答复"})
    assert response.status_code == 409
    body = response.content.decode()
    assert "不能在当前状态" in body


def test_an_illegal_step_in_the_api_is_409_in_chinese_and_english(client, file_complaint, world):
    complaint = _complaint_in(Status.CLOSED, file_complaint, world)
    client.force_login(world["inspector"])
    response = client.post(reverse("complaint-accept", args=[complaint.pk]), {}, content_type="application/json")
    assert response.status_code == 409
    assert "不能在当前状态" in response.json()["detail"]
    assert "not allowed" in response.json()["detail_en"]


def test_the_api_moves_a_complaint_through_its_steps(client, file_complaint, world):
    complaint, _ = file_complaint()
    client.force_login(world["inspector"])
    assert client.post(reverse("complaint-accept", args=[complaint.pk])).json()["status"] == Status.ACCEPTED
    response = client.post(
        reverse("complaint-assign", args=[complaint.pk]),
        {"officer": world["officer"].pk},
        content_type="application/json",
    )
    assert response.json()["status"] == Status.ASSIGNED
    client.force_login(world["officer"])
    response = client.post(
        reverse("complaint-reply", args=[complaint.pk]), {"text": "已处理"}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["status"] == Status.REPLIED


def test_a_park_officer_cannot_accept_or_close(file_complaint, world):
    unassigned, _ = file_complaint()
    with pytest.raises(Complaint.DoesNotExist):  # outside their scope altogether
        services.complaint_accept(complaint=unassigned, actor=world["officer"])
    theirs = _complaint_in(Status.REPLIED, file_complaint, world)
    with pytest.raises(PermissionDenied):  # their own, but closing is the inspector's
        services.complaint_close(complaint=theirs, actor=world["officer"])


def test_only_the_assigned_officer_replies(file_complaint, world, officer_b):
    complaint = _complaint_in(Status.ASSIGNED, file_complaint, world)
    with pytest.raises(Complaint.DoesNotExist):  # not even visible to another officer
        services.complaint_reply(complaint=complaint, actor=officer_b, text="不是我的")


def test_assigning_to_an_officer_of_another_park_is_refused(file_complaint, world):
    from accounts.choices import Role
    from tests.factories import UserFactory

    complaint = _complaint_in(Status.ACCEPTED, file_complaint, world)
    outsider = UserFactory(role=Role.PARK_OFFICER, parks=[world["park_b"]])
    with pytest.raises(ValidationError) as error:
        services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=outsider)
    assert "officer" in error.value.message_dict


def test_rejection_needs_a_reason(file_complaint, world):
    complaint, _ = file_complaint()
    with pytest.raises(ValidationError):
        services.complaint_reject(complaint=complaint, actor=world["inspector"], reason="   ")
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED


def test_not_satisfied_reopens_once(file_complaint, world):
    complaint = _complaint_in(Status.REPLIED, file_complaint, world)
    services.complaint_rate(complaint=complaint, rating=Rating.NOT_SATISFIED, comment="没解决")
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING and complaint.reopen_count == 1
    assert complaint.reply_due is not None
    services.complaint_reply(complaint=complaint, actor=world["officer"], text="再次答复")
    services.complaint_rate(complaint=complaint, rating=Rating.NOT_SATISFIED, comment="还是没解决")
    complaint.refresh_from_db()
    assert complaint.status == Status.REPLIED  # the second "not satisfied" is recorded, not reopened
    assert complaint.events.filter(kind=EventKind.REOPENED).count() == 1
    with pytest.raises(ValidationError):
        services.complaint_rate(complaint=complaint, rating=Rating.SATISFIED)  # this answer is rated already


def test_time_limits_count_chinese_working_days(file_complaint, world, settings):
    settings.COMPLAINT_REPLY_WORKING_DAYS = {"default": 5, "favours": 3}
    # Filed on Friday 13 February 2026: acceptance due the make-up Saturday, 14 February.
    complaint, _ = file_complaint(category="favours", now=_aware(2026, 2, 13))
    assert complaint.accept_due == datetime.date(2026, 2, 14)
    # Accepted on the Saturday: on time; the 3-day reply limit skips the Spring Festival holiday.
    services.complaint_accept(complaint=complaint, actor=world["inspector"], now=_aware(2026, 2, 14))
    complaint.refresh_from_db()
    assert complaint.accepted_on_time is True
    assert complaint.reply_due == datetime.date(2026, 2, 26)
    assert complaint.is_overdue(today=datetime.date(2026, 2, 26)) is False
    assert complaint.is_overdue(today=datetime.date(2026, 2, 27)) is True
    services.complaint_reply(complaint=complaint, actor=world["inspector"], text="答复", now=_aware(2026, 2, 27))
    complaint.refresh_from_db()
    assert complaint.replied_on_time is False


def test_acceptance_after_the_holiday_is_late(file_complaint, world):
    complaint, _ = file_complaint(now=_aware(2026, 2, 13))
    services.complaint_accept(complaint=complaint, actor=world["inspector"], now=_aware(2026, 2, 24))
    complaint.refresh_from_db()
    assert complaint.accepted_on_time is False


def test_timeline_entries_cannot_be_changed(file_complaint):
    complaint, _ = file_complaint()
    event = complaint.events.get()
    event.note = "篡改"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert ComplaintEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.django_db(transaction=True)
def test_two_inspectors_accepting_at_once_cannot_both_win(world, file_complaint):
    """The first inspector's transaction holds the row; the second waits for it, then finds the complaint
    already accepted and is refused — without the row lock both would have succeeded."""
    complaint, _ = file_complaint()
    from accounts.choices import Role
    from tests.factories import UserFactory

    second = UserFactory(role=Role.INSPECTOR, parks=[world["park_a"]])
    first_has_accepted = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                services.complaint_accept(complaint=complaint, actor=world["inspector"], note="甲")
                first_has_accepted.set()
                time.sleep(0.5)  # still uncommitted while the second one tries
            outcome["first"] = "accepted"
        finally:
            connection.close()

    def second_one():
        try:
            first_has_accepted.wait(5)
            try:
                services.complaint_accept(complaint=complaint, actor=second, note="乙")
                outcome["second"] = "accepted"
            except TransitionNotAllowed:
                outcome["second"] = "refused"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second_one)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcome == {"first": "accepted", "second": "refused"}
    assert list(complaint.events.filter(kind=EventKind.ACCEPTED).values_list("note", flat=True)) == ["甲"]


def test_the_officer_is_told_of_an_assignment_and_the_enterprise_of_the_answer(world):
    complaint = services.complaint_submit(
        park=world["park_a"], category="other", subject="某科", description="实名反映", user=world["enterprise_user"]
    ).complaint
    services.complaint_accept(complaint=complaint, actor=world["inspector"])
    services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=world["officer"])
    assert world["officer"].notifications.filter(kind="complaint_assigned", link=complaint.get_absolute_url()).exists()
    services.complaint_reply(complaint=complaint, actor=world["officer"], text="已办理")
    note = world["enterprise_user"].notifications.get(kind="complaint_replied")
    assert complaint.reference in note.title
    # An anonymous complaint has nobody to tell.
    anonymous = services.complaint_submit(
        park=world["park_a"], category="other", subject="x", description="y", is_anonymous=True
    ).complaint
    services.complaint_accept(complaint=anonymous, actor=world["inspector"])
    services.complaint_reply(complaint=anonymous, actor=world["inspector"], text="答复")
    assert world["enterprise_user"].notifications.count() == 1

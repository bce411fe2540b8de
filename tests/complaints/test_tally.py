"""The complaint tally (issue 13): kept in step with the complaints by the database at every step of a
complaint's life, whatever path wrote it (services, a bulk ``update()``, a delete), compacted without
changing a sum — and the figures the dashboards and the park page read from it are those the one
definition (``complaint_figures``) counts over the complaints themselves, for every role."""

import datetime
from collections import Counter

import pytest
from django.db.models import Sum
from django.utils import timezone

from complaints import services, tally
from complaints.choices import Rating
from complaints.models import Complaint, ComplaintParkTally, ComplaintTally
from complaints.selectors import complaint_figures, complaint_figures_by, complaint_stats, share

KEY = ("park", "assigned_to", "month", "category", "status", "replied_on_time", "rating")


def tallied() -> dict:
    rows = ComplaintTally.objects.order_by().values_list(*KEY).annotate(total=Sum("n"))
    return {row[:-1]: row[-1] for row in rows if row[-1]}


PARK_KEY = ("park", "month", "status", "replied_on_time", "rating")


def by_park(counts: dict) -> dict:
    """The counts of ``counted()`` summed to the park tally's key (no handler, no category)."""
    coarse = Counter()
    for (park, _assigned, month, _category, status, on_time, rating), n in counts.items():
        coarse[(park, month, status, on_time, rating)] += n
    return dict(coarse)


def park_tallied() -> dict:
    rows = ComplaintParkTally.objects.order_by().values_list(*PARK_KEY).annotate(total=Sum("n"))
    return {row[:-1]: row[-1] for row in rows if row[-1]}


def counted() -> dict:
    return dict(
        Counter(
            (c.park_id, c.assigned_to_id, timezone.localtime(c.submitted_at).date().replace(day=1), c.category,
             c.status, c.replied_on_time, c.rating)
            for c in Complaint.objects.all()
        )
    )  # fmt: skip


@pytest.fixture
def walked(world, file_complaint):
    """Complaints taken through every step, the tally checked after each."""
    inspector, officer = world["inspector"], world["officer"]
    steps = []

    def check(step):
        steps.append(step)
        assert tallied() == counted(), step
        assert park_tallied() == by_park(counted()), step

    first, _code = file_complaint()
    check("filed")
    services.complaint_accept(complaint=first, actor=inspector)
    check("accepted")
    services.complaint_assign(complaint=first, actor=inspector, officer=officer)
    check("assigned")
    services.complaint_start(complaint=first, actor=officer)
    check("started")
    services.complaint_reply(complaint=first, actor=officer, text="已答复")
    check("replied")
    services.complaint_rate(complaint=first, rating=Rating.NOT_SATISFIED)
    check("reopened")
    services.complaint_reply(complaint=first, actor=officer, text="再次答复")
    check("replied again")
    services.complaint_rate(complaint=first, rating=Rating.SATISFIED)
    check("rated and closed")
    second, _code = file_complaint(category="favours")
    services.complaint_reject(complaint=second, actor=inspector, reason="不属于受理范围")
    check("rejected")
    third, _code = file_complaint(park=world["park_b"])
    Complaint.objects.filter(pk=third.pk).update(
        category="favours", submitted_at=timezone.now() - datetime.timedelta(days=400)
    )
    check("bulk update")
    file_complaint()  # left submitted: open
    Complaint.objects.filter(pk=second.pk).delete()
    check("deleted")
    return world


def test_the_tally_follows_every_step_of_a_complaint(walked):
    assert ComplaintTally.objects.filter(n__lt=0).exists()  # old keys taken back, not rewritten
    rows = tally.compact()
    assert tallied() == counted() and rows == ComplaintTally.objects.count() == len(counted())
    assert not ComplaintTally.objects.filter(n__lte=0).exists()
    assert tally.compact() == rows  # compacting again changes nothing
    assert park_tallied() == by_park(counted()) and ComplaintParkTally.objects.count() == len(by_park(counted()))
    assert not ComplaintParkTally.objects.filter(n__lte=0).exists()


def test_a_rebuild_counts_every_complaint_again(walked):
    ComplaintTally.objects.all().delete()
    ComplaintParkTally.objects.all().delete()
    tally.rebuild()
    assert tallied() == counted() and ComplaintTally.objects.count() == len(counted())
    assert park_tallied() == by_park(counted()) and ComplaintParkTally.objects.count() == len(by_park(counted()))


def test_the_tally_month_is_the_local_month(world, file_complaint):
    complaint, _code = file_complaint()
    for moment in ("2025-12-31T23:30:00+08:00", "2026-01-01T00:30:00+08:00", "2026-06-30T16:30:00+00:00"):
        Complaint.objects.filter(pk=complaint.pk).update(submitted_at=datetime.datetime.fromisoformat(moment))
        local = timezone.localtime(Complaint.objects.get(pk=complaint.pk).submitted_at).date().replace(day=1)
        assert [month for (_p, _a, month, *_rest), n in tallied().items()] == [local]


@pytest.mark.parametrize("username", ["admin", "inspector", "officer"])
def test_the_figures_read_from_the_tally_are_the_one_definitions(walked, file_complaint, username):
    user, park, today = walked[username], walked["park_a"], timezone.localdate()
    late, _code = file_complaint()
    Complaint.objects.filter(pk=late.pk).update(accept_due=today - datetime.timedelta(days=3))  # overdue
    services.complaint_accept(complaint=late, actor=walked["inspector"])
    services.complaint_assign(complaint=late, actor=walked["inspector"], officer=walked["officer"])
    Complaint.objects.filter(pk=late.pk).update(reply_due=today - datetime.timedelta(days=1))  # overdue again

    live = Complaint.objects.visible_to(user).filter(park=park).aggregate(**complaint_figures(today=today))
    stats = complaint_stats(user=user, park=park)
    assert (stats["total"], stats["overdue"], stats["rated"]) == (live["n_total"], live["n_overdue"], live["n_rated"])
    assert stats["on_time_rate"] == share(live["n_replied_on_time"], live["n_reply_due"])
    assert stats["satisfaction_rate"] == share(live["n_satisfied"], live["n_rated"])
    assert live["n_overdue"] and live["n_rated"] and live["n_reply_due"]  # every part counted for every role

    for year in (today.year, today.year - 1, None):
        figures = complaint_figures(today=today, year=year)
        del figures["n_total"]  # not a dashboard figure
        every = Complaint.objects.visible_to(user).order_by().values("park").annotate(**figures)
        expected = {row.pop("park"): row for row in every}
        found = complaint_figures_by(user=user, group="park", today=today, year=year)
        zeros = {name: None if name.startswith("oldest") else 0 for name in figures}
        assert {park: zeros | found.get(park, {}) for park in expected} == expected
        assert all(zeros | row == zeros for park, row in found.items() if park not in expected)


def test_the_tally_is_compacted_by_a_periodic_task(walked, settings):
    from complaints.tasks import compact_tally

    assert {"task": "complaints.compact_tally", "every": 3600} in settings.PORTAL_PERIODIC_TASKS.values()
    assert compact_tally() == ComplaintTally.objects.count() == len(counted())
    assert tallied() == counted()


def test_the_dashboard_reads_the_park_tally_for_whole_parks_and_the_fine_one_for_an_officer(walked):
    """The figures test above passes for every role whichever tally each reads: here, that the coarse one is
    the one read where it can be (its rows alone answer), and never for an officer."""
    today = timezone.localdate()
    ComplaintTally.objects.all().delete()  # only the park tally left: whole-park figures unchanged
    admin = complaint_figures_by(user=walked["admin"], group="park", today=today, year=None)
    assert sum(row["n_rated"] for row in admin.values()) == Complaint.objects.exclude(rating="").count() > 0
    officer = complaint_figures_by(user=walked["officer"], group="park", today=today, year=None)
    assert sum(row["n_rated"] for row in officer.values()) == 0  # the officer's come from the (emptied) fine one

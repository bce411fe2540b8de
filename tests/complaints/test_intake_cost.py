"""What filing a complaint costs (issue 13: the public intake at a third of a bare view's throughput).

The intake's checks that only the database can make stay the database's (complaints.services.complaint_submit):
a query each for them cost more CPU than the rest of the request. These tests keep the count from creeping
back and show that what those checks guarded still holds."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from complaints import services, tracking
from complaints.models import Complaint
from core import workdays
from parks.models import Park
from tests.factories import ParkFactory

ANONYMOUS = {
    "category": "not_handled",
    "subject": "政务服务中心",
    "description": "材料齐全却不予受理。",
    "is_anonymous": "on",
}
NAMED = {**ANONYMOUS, "is_anonymous": "", "contact_name": "李女士", "contact_phone": "13911112222"}

# A first visit: the park read; the complaint, the complainant (named) and the "filed" step written in one
# transaction (its two ends count too). No session: the browser carries the receipt and the tracked
# complaints in signed cookies (complaints/views/carried.py); with the session it took 4 more (a look for a
# free key, then its row, in a savepoint). Before the database's checks were left to it: 4 more again (the
# park again, the digest, two constraints).
QUERIES_ANONYMOUS = 5
QUERIES_NAMED = QUERIES_ANONYMOUS + 1


@pytest.mark.parametrize(("data", "most"), [(ANONYMOUS, QUERIES_ANONYMOUS), (NAMED, QUERIES_NAMED)])
def test_filing_a_complaint_takes_a_fixed_small_number_of_queries(
    public, world, django_assert_max_num_queries, data, most
):
    workdays.entered_days()  # read at most every few seconds per process, not per complaint
    with django_assert_max_num_queries(most):
        response = public.post(reverse("complaints:report", args=[world["park_a"].code]), data)
    assert response.status_code == 302
    assert Complaint.objects.count() == 1


def test_the_code_on_the_receipt_opens_the_complaint(public, world):
    public.post(reverse("complaints:report", args=[world["park_a"].code]), ANONYMOUS)
    code = public.get(reverse("complaints:receipt")).context["code"]
    complaint = Complaint.objects.get()
    assert complaint.tracking_digest == tracking.digest(code)
    assert services.complaint_find_by_code(code.lower().replace("-", " ")) == complaint
    assert services.complaint_find_by_code(tracking.new_code()) is None


def test_a_tracking_digest_stays_unique_in_the_database(world):
    first = services.complaint_submit(
        park=world["park_a"], category="other", subject="某科", description="拖延", is_anonymous=True
    ).complaint
    with pytest.raises(IntegrityError), transaction.atomic():
        Complaint.objects.create(
            park=world["park_a"],
            category="other",
            subject="某科",
            description="拖延",
            tracking_digest=first.tracking_digest,
            accept_due=first.accept_due,
        )


def test_an_inactive_park_still_takes_no_complaint(world):
    park = world["park_a"]
    park.is_active = False
    park.save()
    with pytest.raises(ValidationError) as refused:
        services.complaint_submit(park=park, category="other", subject="某科", description="拖延", is_anonymous=True)
    assert "park" in refused.value.message_dict


def test_a_second_complaint_reads_no_park(public, world, django_assert_max_num_queries):
    """The park of a printed address is held per process for a few seconds (parks.printed)."""
    url = reverse("complaints:report", args=[world["park_a"].code])
    assert public.post(url, ANONYMOUS).status_code == 302
    with django_assert_max_num_queries(QUERIES_ANONYMOUS - 1) as captured:
        response = public.post(url, ANONYMOUS)
    assert response.status_code == 302
    assert not [q for q in captured.captured_queries if '"parks_park"' in q["sql"]]
    assert Complaint.objects.filter(park=world["park_a"]).count() == 2


def test_a_park_deactivated_in_this_process_stops_taking_complaints_at_once(public, world):
    url = reverse("complaints:report", args=[world["park_a"].code])
    assert public.get(url).status_code == 200
    park = world["park_a"]
    park.is_active = False
    park.save()
    assert public.post(url, ANONYMOUS).status_code == 404
    assert not Complaint.objects.exists()


def test_a_park_changed_by_another_worker_is_seen_within_the_seconds_held(public, world, settings):
    settings.PRINTED_PARK_SECONDS = 60
    url = reverse("complaints:report", args=[world["park_a"].code])
    assert public.get(url).status_code == 200
    # update() sends no signal: from here it looks like another worker's save.
    Park.objects.filter(pk=world["park_a"].pk).update(is_active=False)
    assert public.get(url).status_code == 200  # still held
    settings.PRINTED_PARK_SECONDS = 0
    assert public.get(url).status_code == 404
    assert public.post(url, ANONYMOUS).status_code == 404
    assert not Complaint.objects.exists()


def test_an_unknown_code_is_held_too_but_a_park_created_here_is_found_at_once(public, world):
    url = reverse("complaints:report", args=["PARK-NEW"])
    assert public.get(url).status_code == 404
    ParkFactory(code="PARK-NEW")
    assert public.get(url).status_code == 200

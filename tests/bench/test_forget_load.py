"""``bench/pages.py`` deletes what its load filed, so that a database measured twice is measured on the same data."""

from bench.pages import forget_load
from complaints import services
from complaints.models import Complaint, ComplaintParkTally, ComplaintTally


def test_the_loads_complaints_go_and_the_figures_follow(world):
    for description in (
        "办事拖延，多次往返仍未办结（压测第 1 件）。",
        "压测投诉第2件：材料齐全仍被要求多次往返。",
        "窗口人员推诿。",
    ):
        services.complaint_submit(
            park=world["park_a"], category="other", subject="管委会审批科", description=description, is_anonymous=True
        )
    assert forget_load() == 2 * 2  # each complaint with its "filed" step
    assert list(Complaint.objects.values_list("description", flat=True)) == ["窗口人员推诿。"]
    for tally in (ComplaintTally, ComplaintParkTally):  # summed from the trigger's rows, then compacted
        assert [row.n for row in tally.objects.filter(park=world["park_a"])] == [1]

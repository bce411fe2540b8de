import pytest
from django.urls import reverse

from complaints import services


@pytest.mark.parametrize("role", ["inspector", "officer", "admin"])
def test_the_queue_query_count_does_not_grow_with_complaints(
    client, world, file_complaint, role, django_assert_max_num_queries
):
    def add(n):
        for _ in range(n):
            complaint, _ = file_complaint()
            services.complaint_accept(complaint=complaint, actor=world["inspector"])
            services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=world["officer"])

    client.force_login(world[role])
    add(2)
    with django_assert_max_num_queries(10) as few:
        assert len(client.get(reverse("complaints:list")).context["object_list"]) == 2
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(reverse("complaints:list")).context["object_list"]) == 17


def test_the_detail_page_query_count_does_not_grow_with_steps(
    client, world, file_complaint, django_assert_max_num_queries
):
    complaint, _ = file_complaint()
    services.complaint_accept(complaint=complaint, actor=world["inspector"])
    client.force_login(world["inspector"])
    with django_assert_max_num_queries(20) as few:
        client.get(complaint.get_absolute_url())
    for n in range(10):
        services.complaint_add_note(complaint=complaint, actor=world["inspector"], text=f"备注{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(complaint.get_absolute_url())


def test_the_park_page_shows_on_time_and_satisfaction_rates(client, world, file_complaint):
    from complaints.choices import Rating

    for rating in (Rating.SATISFIED, Rating.NOT_SATISFIED, None):
        complaint, _ = file_complaint()
        services.complaint_accept(complaint=complaint, actor=world["inspector"])
        services.complaint_reply(complaint=complaint, actor=world["inspector"], text="答复")
        if rating:
            services.complaint_rate(complaint=complaint, rating=rating)
    client.force_login(world["inspector"])
    stats = client.get(reverse("parks:park-detail", args=[world["park_a"].code])).context["complaint_stats"]
    assert stats["total"] == 3
    assert stats["on_time_rate"] == 1.0
    assert stats["satisfaction_rate"] == 0.5
    assert dict(stats["by_category"])["办不成事"] == 3


def test_staff_opening_my_complaints_are_sent_to_the_queue(client, world):
    client.force_login(world["inspector"])
    response = client.get(reverse("complaints:mine"))
    assert response.status_code == 302 and response.url == reverse("complaints:list")

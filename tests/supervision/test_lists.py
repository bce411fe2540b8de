"""The observation list and the activity page: a fixed number of queries however many rows, filters that
say what they mean, and exports of exactly the rows shown."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from .factories import appointed, observation_in

pytestmark = pytest.mark.django_db


def _rows(world, n):
    for _ in range(n):
        observation_in(world["park_a"], supervisor=world["supervisor"])
        observation_in(world["park_a"], supervisor=appointed(world["park_a"]))


@pytest.mark.parametrize(
    ("role", "url_name"),
    [("inspector", "supervision:observation-list"), ("supervisor", "supervision:observation-list"),
     ("admin", "supervision:observation-list"), ("admin", "supervision:activity")],
)  # fmt: skip
def test_lists_run_a_fixed_number_of_queries(client, world, role, url_name, django_assert_max_num_queries):
    client.force_login(world[role])
    _rows(world, 2)
    client.get(reverse(url_name))  # warm-up
    with django_assert_max_num_queries(12):
        few = client.get(reverse(url_name))
    _rows(world, 8)
    with django_assert_max_num_queries(12):
        many = client.get(reverse(url_name))
    assert len(many.context["rows"]) > len(few.context["rows"])


def test_the_export_has_exactly_the_rows_of_the_filtered_list(client, world):
    _rows(world, 2)
    client.force_login(world["supervisor"])
    page = client.get(reverse("supervision:observation-list"), {"category": "extortion"})
    export = client.get(reverse("supervision:observation-list"), {"category": "extortion", "export": "csv"})
    lines = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert lines[0][:3] == ["提交时间", "园区", "类别"]
    assert len(lines) - 1 == page.context["paginator"].count == 2
    assert client.get(reverse("supervision:observation-list"), {"status": "nonsense"}).context["paginator"].count == 0


def test_the_activity_export_writes_the_terms_with_their_counts(client, world):
    _rows(world, 1)
    client.force_login(world["admin"])
    export = client.get(reverse("supervision:activity"), {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")

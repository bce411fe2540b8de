"""A big campaign list goes to the background export like every other list: the worker rebuilds the same
list — the same campaign (the URL's argument), filters and scope — and writes the same rows."""

import io

import openpyxl
import pytest
from django.urls import reverse

from core.models import ExportFile
from tests.factories import FindingFactory, TaskFactory


def _rows(export) -> list[list]:
    with export.file.open("rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]


@pytest.mark.parametrize(
    ("url_name", "by_campaign", "expected"),
    [
        ("campaigns:findings", True, 2),
        ("campaigns:tasks", True, 2),
        ("campaigns:measures", True, 1),
        ("campaigns:list", False, 1),
        ("campaigns:return-list", False, 2),
    ],
)
def test_a_big_campaign_list_is_written_by_the_worker_with_the_pages_rows(
    client, world, tagged, settings, django_capture_on_commit_callbacks, url_name, by_campaign, expected
):
    TaskFactory(finding=FindingFactory(park=world["park_a"]), owner=world["officer"])  # not in the campaign
    settings.EXPORT_DIRECT_MAX_ROWS = 0
    client.force_login(world["admin"])
    url = reverse(url_name, args=[tagged.pk] if by_campaign else [])
    page_total = client.get(url).context["paginator"].count
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(url, {"export": "xlsx"})
    export = ExportFile.objects.get(user=world["admin"])
    assert response.status_code == 302 and response.url == export.get_status_url()
    assert export.view_kwargs == ({"pk": tagged.pk} if by_campaign else {})
    assert export.status == ExportFile.Status.READY
    assert export.rows == len(_rows(export)) == page_total == expected


def test_the_worker_keeps_the_filters_and_the_readers_scope(
    client, world, tagged, settings, django_capture_on_commit_callbacks
):
    from campaigns import services

    services.finding_tag(actor=world["admin"], campaign=tagged, finding=FindingFactory(park=world["park_b"]))
    settings.EXPORT_DIRECT_MAX_ROWS = 0
    url = reverse("campaigns:findings", args=[tagged.pk])
    client.force_login(world["admin"])
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url, {"export": "xlsx", "park": world["park_b"].pk})
    assert ExportFile.objects.get(user=world["admin"]).rows == 1
    client.force_login(world["inspector"])  # park A only
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url, {"export": "xlsx"})
    export = ExportFile.objects.get(user=world["inspector"])
    assert export.rows == 2 and {row[0] for row in _rows(export)} == {world["park_a"].name}

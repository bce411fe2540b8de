"""Complaint attachments and rectification evidence through the API: uploaded with the step that carries
them (public intake, reply, task submit; multipart), checked by their content like the pages, listed in
the detail with a download URL, and downloaded under the pages' access rule (404 outside it)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.choices import Role
from accounts.services import token_issue
from complaints import services as complaint_services
from complaints.models import Complaint
from inspections.choices import TaskStatus
from tests.factories import FindingFactory, ParkFactory, TaskFactory, UserFactory

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 192


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, content_type="image/png")


def disguised_html(name="scan.pdf"):
    return SimpleUploadedFile(name, b"<html><script>alert(1)</script></html>", content_type="application/pdf")


def api(user) -> Client:
    _instance, token = token_issue(user=user)
    return Client(HTTP_AUTHORIZATION=f"Token {token}")


@pytest.fixture
def complaint_with_file(world):
    submission = complaint_services.complaint_submit(
        park=world["park_a"], category="other", subject="审批拖延", description="材料齐全仍不受理。", files=[png()]
    )
    return submission.complaint


def test_the_public_intake_takes_files_and_refuses_a_disguised_html_page(world, settings):
    settings.COMPLAINT_SUBMIT_RATE = "1000/m"
    data = {
        "park": "PARK-A",
        "category": "other",
        "subject": "审批拖延",
        "description": "材料齐全仍不受理。",
        "is_anonymous": "true",
    }
    refused = Client().post(reverse("public-complaint"), {**data, "files": [disguised_html()]})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    assert "scan.pdf" in refused.json()["detail"]
    filed = Client().post(reverse("public-complaint"), {**data, "files": [png()]})
    assert filed.status_code == 201
    (complaint,) = Complaint.objects.all()  # the refused one saved nothing
    assert [a.original_name for a in complaint.attachments.all()] == ["photo.png"]


def test_a_commission_admin_lists_and_downloads_a_complaint_attachment(world, complaint_with_file):
    client = api(world["admin"])
    detail = client.get(reverse("complaint-detail", args=[complaint_with_file.pk])).json()
    (item,) = detail["attachments"]
    assert item["name"] == "photo.png" and item["content_type"] == "image/png"
    download = client.get(item["download"])
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert b"".join(download.streaming_content) == PNG


def test_an_officer_cannot_read_the_complainants_file_of_a_complaint_not_assigned_to_them(world, complaint_with_file):
    item = complaint_with_file.attachments.get()
    url = reverse("complaint-attachment", kwargs={"pk": complaint_with_file.pk, "attachment_pk": item.pk})
    assert api(world["officer"]).get(url).status_code == 404
    assert api(world["inspector"]).get(url).status_code == 200  # an inspector of the park may


def test_another_parks_inspector_gets_404_for_the_attachment(world, complaint_with_file):
    stranger = UserFactory(role=Role.INSPECTOR, parks=[world["park_b"]])
    item = complaint_with_file.attachments.get()
    url = reverse("complaint-attachment", kwargs={"pk": complaint_with_file.pk, "attachment_pk": item.pk})
    assert api(stranger).get(url).status_code == 404


def test_an_officer_replies_with_a_file_the_complainant_side_can_read(world, complaint_with_file):
    complaint = complaint_with_file
    complaint_services.complaint_accept(complaint=complaint, actor=world["inspector"])
    complaint_services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=world["officer"])
    client = api(world["officer"])
    refused = client.post(
        reverse("complaint-reply", args=[complaint.pk]), {"text": "已办理。", "files": [disguised_html()]}
    )
    assert refused.status_code == 400
    answered = client.post(
        reverse("complaint-reply", args=[complaint.pk]), {"text": "已办理。", "files": [png("reply.png")]}
    )
    assert answered.status_code == 200, answered.json()
    names = [a["name"] for a in answered.json()["attachments"]]
    assert names == ["reply.png"]  # the officer sees the reply's file, not the complainant's


def test_the_owner_submits_evidence_files_and_readers_of_the_task_download_them(world):
    task = TaskFactory(
        finding=FindingFactory(park=world["park_a"]), owner=world["officer"], status=TaskStatus.IN_PROGRESS
    )
    client = api(world["officer"])
    refused = client.post(reverse("task-submit", args=[task.pk]), {"evidence": "已整改。", "files": [disguised_html()]})
    assert refused.status_code == 400
    submitted = client.post(
        reverse("task-submit", args=[task.pk]), {"evidence": "已整改。", "files": [png("evidence.png")]}
    )
    assert submitted.status_code == 200, submitted.json()
    (item,) = submitted.json()["attachments"]
    assert api(world["inspector"]).get(item["download"]).status_code == 200
    other_park = UserFactory(role=Role.INSPECTOR, parks=[ParkFactory()])
    assert api(other_park).get(item["download"]).status_code == 404


def test_the_schema_documents_uploads_and_downloads(world):
    schema = api(world["admin"]).get(reverse("api-schema") + "?format=json").json()
    submit = schema["paths"]["/api/tasks/{id}/submit/"]["post"]["requestBody"]["content"]
    assert "multipart/form-data" in submit
    download = schema["paths"]["/api/complaints/{id}/attachments/{attachment_pk}/"]["get"]["responses"]
    assert "application/pdf" in download["200"]["content"] and "404" in download
    public = Client().get(reverse("api-public-schema") + "?format=json").json()
    assert "multipart/form-data" in public["paths"]["/api/public/complaints/"]["post"]["requestBody"]["content"]


def test_the_complaint_list_costs_the_same_queries_for_an_officer_however_many_complaints_it_shows(
    world, django_assert_max_num_queries
):
    """The officer's rule (replies only, not the complainant's own files) is applied to the attachments
    prefetched with the page, not by a query per complaint."""

    def file_complaints(count):
        for _ in range(count):
            complaint_services.complaint_submit(
                park=world["park_a"],
                category="other",
                subject="审批拖延",
                description="材料齐全仍不受理。",
                files=[png()],
            )
        Complaint.objects.update(assigned_to=world["officer"])

    client = api(world["officer"])
    url = reverse("complaint-list")
    file_complaints(2)
    client.get(url)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        listed = client.get(url).json()["results"]
    assert len(listed) == 2 and all(item["attachments"] == [] for item in listed)
    file_complaints(10)
    with django_assert_max_num_queries(len(few)):
        listed = client.get(url).json()["results"]
    assert len(listed) == 12 and all(item["attachments"] == [] for item in listed)
    everything = api(world["admin"]).get(url).json()["results"]
    assert all(len(item["attachments"]) == 1 for item in everything)  # commission staff see the files

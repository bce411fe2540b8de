"""Complainant protection: who complained is for commission staff only; officers see only what is
assigned to them; anonymous complaints keep nothing about the person; attachments are private."""

import logging

import pytest
from django.core import serializers
from django.urls import reverse

from complaints import services
from complaints.models import Complainant, Complaint, ComplaintAttachment, ComplaintEvent

from .conftest import png_file

IDENTITY = ("举报人甲", "13900001234", "甲科技有限公司")


@pytest.fixture
def assigned(file_complaint, world):
    complaint, _code = file_complaint(files=[png_file("evidence.png")])
    services.complaint_accept(complaint=complaint, actor=world["inspector"])
    services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=world["officer"])
    return complaint


def test_inspectors_see_who_complained(client, world, assigned):
    client.force_login(world["inspector"])
    page = client.get(assigned.get_absolute_url()).content.decode()
    for text in IDENTITY:
        assert text in page
    data = client.get(reverse("complaint-detail", args=[assigned.pk])).json()
    assert data["complainant"]["name"] == "举报人甲"


def test_the_assigned_officer_never_sees_who_complained(client, world, assigned):
    client.force_login(world["officer"])
    for url in (
        assigned.get_absolute_url(),
        reverse("complaints:list"),
        reverse("parks:park-detail", args=[world["park_a"].code]),
    ):
        page = client.get(url).content.decode()
        for text in IDENTITY:
            assert text not in page, (url, text)
    detail = client.get(reverse("complaint-detail", args=[assigned.pk]))
    listing = client.get(reverse("complaint-list"))
    timeline = client.get(reverse("complaint-timeline", args=[assigned.pk]))
    for response in (detail, listing, timeline):
        assert response.status_code == 200
        for text in IDENTITY:
            assert text not in response.content.decode()
    assert "complainant" not in detail.json() and "is_anonymous" not in detail.json()


def test_an_officer_sees_only_complaints_assigned_to_them(client, world, assigned, file_complaint, officer_b):
    unassigned, _ = file_complaint(subject="另一件")
    client.force_login(world["officer"])
    assert set(client.get(reverse("complaints:list")).context["object_list"]) == {assigned}
    assert client.get(unassigned.get_absolute_url()).status_code == 404
    assert client.get(reverse("complaint-detail", args=[unassigned.pk])).status_code == 404
    client.force_login(officer_b)
    assert list(client.get(reverse("complaints:list")).context["object_list"]) == []
    assert client.get(assigned.get_absolute_url()).status_code == 404
    assert client.get(reverse("complaint-list")).json()["results"] == []


def test_inspectors_of_other_parks_see_nothing(client, world, assigned):
    from accounts.choices import Role
    from tests.factories import UserFactory

    client.force_login(UserFactory(role=Role.INSPECTOR, parks=[world["park_b"]]))
    assert client.get(assigned.get_absolute_url()).status_code == 404
    assert client.get(reverse("complaint-detail", args=[assigned.pk])).status_code == 404


def test_enterprise_users_do_not_reach_the_staff_pages(client, world, assigned):
    client.force_login(world["enterprise_user"])
    assert client.get(reverse("complaints:list")).status_code == 403
    assert client.get(reverse("complaint-list")).status_code == 403


def test_an_anonymous_complaint_keeps_nothing_about_the_person(public, world):
    public.post(
        reverse("complaints:report", args=[world["park_a"].code]),
        {
            "category": "other",
            "subject": "某部门",
            "description": "情况说明",
            "is_anonymous": "on",
            "contact_name": "张不留名",
            "contact_phone": "13812345678",
            "enterprise_name": "不留名公司",
        },
        HTTP_USER_AGENT="UniqueBrowser/9.9",
        REMOTE_ADDR="203.0.113.77",
    )
    complaint = Complaint.objects.get()
    assert complaint.is_anonymous
    assert not Complainant.objects.exists()
    dumped = serializers.serialize(
        "json",
        [*Complaint.objects.all(), *ComplaintEvent.objects.all(), *ComplaintAttachment.objects.all()],
    )
    for trace in ("张不留名", "13812345678", "不留名公司", "203.0.113.77", "UniqueBrowser"):
        assert trace not in dumped


def test_an_anonymous_enterprise_user_is_not_linked_to_the_complaint(client, world, client_ip):
    client.force_login(world["enterprise_user"])
    client.post(
        reverse("complaints:report", args=[world["park_a"].code]),
        {"category": "other", "subject": "某部门", "description": "匿名反映", "is_anonymous": "on"},
        REMOTE_ADDR=client_ip,
    )
    assert Complaint.objects.get().is_anonymous
    assert not Complainant.objects.exists()
    assert list(client.get(reverse("complaints:mine")).context["complaints"]) == []


def test_enterprise_users_see_their_named_complaints(client, world, client_ip):
    client.force_login(world["enterprise_user"])
    client.post(
        reverse("complaints:report", args=[world["park_a"].code]),
        {"category": "other", "subject": "某部门", "description": "实名反映"},
        REMOTE_ADDR=client_ip,
    )
    complaint = Complaint.objects.get()
    assert complaint.complainant.enterprise == world["ent_a"]
    assert list(client.get(reverse("complaints:mine")).context["complaints"]) == [complaint]
    assert client.get(reverse("complaints:tracked", args=[complaint.pk])).status_code == 200


def test_submissions_leave_no_identity_in_the_logs(public, world, caplog):
    caplog.set_level(logging.DEBUG)
    public.post(
        reverse("complaints:report", args=[world["park_a"].code]),
        {
            "category": "other",
            "subject": "某部门",
            "description": "x",
            "contact_name": "日志里不该有",
            "contact_phone": "13700000000",
        },
    )
    assert Complaint.objects.count() == 1
    assert "日志里不该有" not in caplog.text and "13700000000" not in caplog.text


def test_attachments_are_private(client, public, world, assigned):
    attachment = assigned.attachments.get()
    url = attachment.get_absolute_url()
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 - the storage has no public URL at all
    assert public.get(url).status_code == 404  # the public without the code
    client.force_login(world["officer"])
    assert client.get(url).status_code == 404  # not shared with the handler
    client.force_login(world["inspector"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_the_inspector_can_share_attachments_with_the_officer(client, world, file_complaint):
    complaint, _ = file_complaint(files=[png_file()])
    services.complaint_accept(complaint=complaint, actor=world["inspector"])
    services.complaint_assign(
        complaint=complaint, actor=world["inspector"], officer=world["officer"], share_attachments=True
    )
    client.force_login(world["officer"])
    assert client.get(complaint.attachments.get().get_absolute_url()).status_code == 200


def test_the_complainant_opens_their_attachments_after_entering_the_code(public, file_complaint):
    complaint, code = file_complaint(files=[png_file()])
    url = complaint.attachments.get().get_absolute_url()
    assert public.get(url).status_code == 404
    public.post(reverse("complaints:track"), {"code": code})
    assert public.get(url).status_code == 200

"""A finding made from a complaint: officers of the park read the inspector's summary, never the
complainant's words or identity, and see the complaint's link only when they may open the complaint."""

import pytest
from django.urls import reverse

from accounts.choices import Role
from complaints import services as complaint_services
from inspections.models import Finding, RectificationTask
from tests.factories import UserFactory

WORDS = "张经理每次验收都要两条烟，不给就拖着不签字"
NAME, PHONE = "李举报", "13800138000"


@pytest.fixture
def complaint(world):
    return complaint_services.complaint_submit(
        park=world["park_a"],
        category="favours",
        subject="建设局质监科",
        description=WORDS,
        contact_name=NAME,
        contact_phone=PHONE,
    ).complaint


@pytest.fixture
def assigned_officer(world, complaint):
    officer = UserFactory(role=Role.PARK_OFFICER, parks=[world["park_a"]])
    complaint_services.complaint_accept(complaint=complaint, actor=world["inspector"])
    complaint_services.complaint_assign(complaint=complaint, actor=world["inspector"], officer=officer)
    return officer


def make_finding(client, world, complaint, summary="质监科验收环节存在吃拿卡要问题，需核查"):
    client.force_login(world["inspector"])
    client.post(
        reverse("inspections:complaint-to-finding", args=[complaint.pk]),
        {"description": summary, "category": "service", "severity": "general", "responsible_unit": "建设局"},
    )
    return Finding.objects.get(complaint=complaint)


def test_the_inspector_is_offered_a_summary_without_the_complainants_words(client, world, complaint):
    client.force_login(world["inspector"])
    response = client.get(reverse("inspections:complaint-to-finding", args=[complaint.pk]))
    form = response.context["form"]
    summary = form.initial["description"]
    assert "建设局质监科" in summary and complaint.get_category_display() in summary
    assert WORDS not in summary and NAME not in summary and PHONE not in summary
    page = response.content.decode()
    assert "园区干部将看到" in page  # the inspector is told who reads the summary
    assert Finding.objects.count() == 0  # opening the form makes nothing


def test_the_finding_carries_what_the_inspector_typed(client, world, complaint):
    finding = make_finding(client, world, complaint, summary="验收环节索要财物，请核实整改")
    assert finding.description == "验收环节索要财物，请核实整改"
    assert finding.source == "complaint" and finding.responsible_unit == "建设局"
    # a second submission (double click) makes no second finding
    make_finding(client, world, complaint, summary="again")
    assert Finding.objects.filter(complaint=complaint).count() == 1


def test_an_empty_summary_is_explained_and_nothing_is_saved(client, world, complaint):
    client.force_login(world["inspector"])
    response = client.post(
        reverse("inspections:complaint-to-finding", args=[complaint.pk]),
        {"description": "  ", "category": "service", "severity": "general", "responsible_unit": "建设局"},
    )
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    assert Finding.objects.count() == 0


def test_an_officer_not_assigned_sees_neither_the_complaint_text_nor_a_link(client, world, complaint):
    finding = make_finding(client, world, complaint)
    client.force_login(world["officer"])
    page = client.get(finding.get_absolute_url()).content.decode()
    assert WORDS not in page and NAME not in page
    assert complaint.get_absolute_url() not in page and complaint.reference not in page
    for url in (reverse("finding-list"), reverse("finding-detail", args=[finding.pk])):
        body = client.get(url).content.decode()
        assert WORDS not in body and NAME not in body
    assert client.get(reverse("finding-detail", args=[finding.pk])).json()["complaint"] is None
    assert client.get(reverse("finding-list")).json()["results"][0]["complaint"] is None


def test_the_assigned_officer_and_the_inspector_see_the_link(client, world, complaint, assigned_officer):
    finding = make_finding(client, world, complaint)
    for user in (assigned_officer, world["inspector"]):
        client.force_login(user)
        page = client.get(finding.get_absolute_url()).content.decode()
        assert complaint.get_absolute_url() in page
        assert WORDS not in page  # the finding page shows the summary; the text is on the complaint's page
        assert client.get(reverse("finding-detail", args=[finding.pk])).json()["complaint"] == complaint.pk
    assert client.get(complaint.get_absolute_url()).status_code == 200


def test_the_rectification_notice_carries_the_summary(client, world, complaint):
    finding = make_finding(client, world, complaint, summary="验收环节索要财物")
    client.post(
        finding.get_absolute_url(), {"owner": world["officer"].pk, "measures": "整改", "deadline": "2099-03-31"}
    )
    notice = world["officer"].notifications.get(kind="task_assigned")
    assert notice.body == "验收环节索要财物" and WORDS not in notice.body


def test_findings_made_before_keep_no_complaint_text_after_the_upgrade(world, complaint):
    """Findings made by the old code copied the complaint's text into the finding, its history and the
    owner's notice; the data migration replaces it with the summary."""
    import importlib

    from django.apps import apps

    from core.models import Notification

    leaked = f"{complaint.reference} {complaint.get_category_display()}：{complaint.description}"
    finding = Finding.objects.create(
        park=world["park_a"], source="complaint", complaint=complaint, description=leaked, category="service",
        responsible_unit="建设局",
    )  # fmt: skip
    typed = Finding.objects.create(
        park=world["park_a"], source="complaint", complaint=complaint, description="已改写的概括", category="service",
        responsible_unit="建设局",
    )  # fmt: skip
    RectificationTask.objects.create(finding=finding, owner=world["officer"], measures="整改", deadline="2099-01-01")
    Notification.objects.create(recipient=world["officer"], kind="task_assigned", title="新整改任务", body=leaked)
    migration = importlib.import_module("inspections.migrations.0002_findings_from_complaints_carry_no_complaint_text")
    migration.replace_complaint_text(apps, None)

    finding.refresh_from_db()
    assert WORDS not in finding.description and "建设局质监科" in finding.description
    assert not finding.history.filter(description__contains=WORDS).exists()
    assert not Notification.objects.filter(body__contains=WORDS).exists()
    typed.refresh_from_db()
    assert typed.description == "已改写的概括"

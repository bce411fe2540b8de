"""Served files are named and typed by what they are (their bytes), not by what the uploader called
them: a PDF uploaded as ``poly.html`` downloads as ``poly.pdf``, ``application/pdf``, as an attachment,
and no file name can break the header or reach outside the download folder."""

import re
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints import services as complaint_services
from tests.complaints.conftest import png_file
from tests.factories import FindingFactory, InspectionFactory

PDF = b"%PDF-1.7\n" + b"0" * 100


def pdf_file(name):
    return SimpleUploadedFile(name, PDF, content_type="text/html")


def served_name(response) -> str:
    disposition = response["Content-Disposition"]
    assert "\r" not in disposition and "\n" not in disposition
    if "filename*=" in disposition:
        return unquote(disposition.split("filename*=utf-8''", 1)[1])
    quoted = re.search(r'filename="((?:[^"\\]|\\.)*)"', disposition).group(1)
    return re.sub(r"\\(.)", r"\1", quoted)


def test_a_pdf_uploaded_as_html_through_the_complaint_page_downloads_as_a_pdf(client, world):
    public = Client(REMOTE_ADDR="203.0.113.41")
    response = public.post(
        reverse("complaints:report", args=[world["park_a"].code]),
        {
            "category": "not_handled",
            "subject": "某科",
            "description": "见附件",
            "is_anonymous": "on",
            "files": [pdf_file("poly.html")],
        },
    )
    assert response.status_code == 302
    from complaints.models import ComplaintAttachment

    attachment = ComplaintAttachment.objects.get()
    client.force_login(world["inspector"])
    response = client.get(attachment.get_absolute_url())
    assert served_name(response) == "poly.pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_rectification_evidence_is_named_by_its_type(client, world):
    inspection = InspectionFactory(parks=[world["park_a"]])
    finding = FindingFactory(park=world["park_a"], inspection=inspection)
    client.force_login(world["inspector"])
    client.post(
        finding.get_absolute_url(), {"owner": world["officer"].pk, "measures": "整改", "deadline": "2099-12-31"}
    )
    task = finding.tasks.get()
    client.force_login(world["officer"])
    client.post(task.get_absolute_url(), {"step": "start"})
    client.post(
        task.get_absolute_url(),
        {"step": "submit", "evidence": "已整改", "files": [png_file("evidence.pdf")]},
    )
    response = client.get(reverse("inspections:attachment", args=[task.attachments.get().pk]))
    assert served_name(response) == "evidence.png"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("uploaded_as", "served_as"),
    [
        ("整改报告（终稿）.html", "整改报告（终稿）.pdf"),
        ('a"b.html', "a_b.pdf"),
        ("..\\..\\windows\\win.ini", "_.._windows_win.pdf"),
        ("x\r\nSet-Cookie: stolen=1.html", "x__Set-Cookie_ stolen=1.pdf"),
        ("noextension", "noextension.pdf"),
        (".html", "附件.pdf"),
        ("  ", "附件.pdf"),
        ("report.tar.gz.exe", "report.tar.gz.pdf"),
    ],
)
def test_hostile_file_names_are_served_safely(client, world, uploaded_as, served_as):
    complaint = complaint_services.complaint_submit(
        park=world["park_a"], category="not_handled", subject="某科", description="见附件",
        files=[pdf_file(uploaded_as)],
    ).complaint  # fmt: skip
    client.force_login(world["inspector"])
    response = client.get(complaint.attachments.get().get_absolute_url())
    assert response.status_code == 200
    assert served_name(response) == served_as
    assert "Set-Cookie" not in {key for key, _value in response.items() if key.lower() == "set-cookie"}
    assert not response.cookies.get("stolen")


def test_a_very_long_name_is_shortened_and_keeps_its_type(client, world):
    complaint = complaint_services.complaint_submit(
        park=world["park_a"], category="not_handled", subject="某科", description="见附件",
        files=[pdf_file("长" * 190 + ".html")],
    ).complaint  # fmt: skip
    client.force_login(world["inspector"])
    name = served_name(client.get(complaint.attachments.get().get_absolute_url()))
    assert name == "长" * 80 + ".pdf"

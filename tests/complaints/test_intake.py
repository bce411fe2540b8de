"""Bad input at the public windows: a clear Chinese message, what was typed kept, nothing half-saved."""

import io
import zipfile

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint, ComplaintAttachment

from .conftest import png_file


def _report(park):
    return reverse("complaints:report", args=[park.code])


def _valid(**overrides):
    data = {
        "category": "not_handled",
        "subject": "政务服务中心",
        "description": "材料齐全却不予受理。",
        "demand": "尽快受理",
        "contact_name": "李女士",
        "contact_phone": "13911112222",
    }
    data.update(overrides)
    return data


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_the_complaint_page_opens_without_an_account(public, world):
    response = public.get(_report(world["park_a"]))
    assert response.status_code == 200
    assert world["park_a"].name in response.content.decode()


def test_an_enterprise_user_finds_their_enterprise_filled_in(client, world):
    client.force_login(world["enterprise_user"])
    form = client.get(_report(world["park_a"])).context["form"]
    assert form["enterprise_name"].value() == world["ent_a"].name


@pytest.mark.parametrize("field", ["subject", "description"])
@pytest.mark.parametrize("value", ["", "   ", "\n\t "])
def test_empty_or_blank_required_text_is_refused_and_the_rest_kept(public, world, field, value):
    response = public.post(_report(world["park_a"]), _valid(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "必填" in response.content.decode()
    assert "李女士" in response.content.decode() and "13911112222" in response.content.decode()
    assert not Complaint.objects.exists()


def test_text_over_the_limit_is_refused(public, world, settings):
    response = public.post(
        _report(world["park_a"]), _valid(description="很" * (settings.COMPLAINT_TEXT_MAX_LENGTH + 1))
    )
    assert "description" in response.context["form"].errors
    assert "5000" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_bad_phone_number_is_explained(public, world):
    response = public.post(_report(world["park_a"]), _valid(contact_phone="12345"))
    assert "手机号码或固定电话" in response.content.decode()
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("code", ["NO-SUCH-PARK", "PARK-A'--"])
def test_unknown_or_tampered_park_codes_are_404_with_a_message(public, world, code):
    # A NUL character (park-a%00) is refused earlier, for every address: tests/core/test_hostile_input.py
    response = public.get(f"/report/{code}/")
    assert response.status_code == 404
    assert "核对二维码或网址" in response.content.decode()


def test_an_inactive_park_takes_no_complaints(public, world):
    park = world["park_b"]
    park.is_active = False
    park.save()
    assert public.get(_report(park)).status_code == 404
    assert public.post(_report(park), _valid()).status_code == 404
    assert not Complaint.objects.exists()


def test_the_park_code_in_the_address_is_case_insensitive(public, world):
    assert public.get(f"/report/{world['park_a'].code.lower()}/").status_code == 200


def test_allowed_attachments_are_stored_privately(public, world):
    pdf = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * 100, content_type="application/pdf")
    docx = SimpleUploadedFile("letter.docx", _docx(), content_type="application/octet-stream")
    response = public.post(_report(world["park_a"]), _valid(files=[png_file(), pdf, docx]))
    assert response.status_code == 302
    kinds = set(ComplaintAttachment.objects.values_list("content_type", flat=True))
    assert kinds == {
        "image/png",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    }
    assert all(name.startswith("complaints/") for name in ComplaintAttachment.objects.values_list("file", flat=True))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 this is an exe", content_type="image/jpeg"),
            "不是允许的文件类型",
        ),
        (
            SimpleUploadedFile("page.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf"),
            "不是允许的文件类型",
        ),
        (
            SimpleUploadedFile("fake.docx", b"PK\x03\x04 not really a zip", content_type="application/zip"),
            "不是允许的文件类型",
        ),
        (SimpleUploadedFile("empty.png", b"", content_type="image/png"), "空文件"),
    ],
    ids=["exe-as-jpg", "html-as-pdf", "broken-zip", "empty"],
)
def test_disguised_or_empty_files_are_refused_and_nothing_is_saved(public, world, upload, message):
    response = public.post(_report(world["park_a"]), _valid(files=[upload]))
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "请重新选择附件" in body or "重新选择" in body
    assert "材料齐全却不予受理。" in body
    assert not Complaint.objects.exists() and not ComplaintAttachment.objects.exists()


def test_files_over_the_size_limit_are_refused(public, world, settings):
    settings.PORTAL_UPLOAD_MAX_MB = 1
    big = png_file("big.png", size=1024 * 1024 + 1)
    response = public.post(_report(world["park_a"]), _valid(files=[big]))
    assert "大于 1 MB" in response.content.decode()
    assert not Complaint.objects.exists()


def test_too_many_files_are_refused(public, world, settings):
    settings.PORTAL_UPLOAD_MAX_FILES = 2
    response = public.post(_report(world["park_a"]), _valid(files=[png_file(f"{n}.png") for n in range(3)]))
    assert "最多" in response.content.decode()
    assert not Complaint.objects.exists()


def test_html_in_any_field_is_shown_escaped(public, client, world):
    script = "<script>alert('x')</script>"
    public.post(
        _report(world["park_a"]), _valid(subject=script, description=script, demand=script, contact_name=script)
    )
    complaint = Complaint.objects.get()
    client.force_login(world["inspector"])
    for page in (client.get(complaint.get_absolute_url()), client.get(reverse("complaints:list"))):
        body = page.content.decode()
        assert script not in body
        assert "&lt;script&gt;" in body


def test_wrong_and_malformed_codes_get_the_same_answer(public, file_complaint):
    _complaint, code = file_complaint()
    answers = []
    for typed in ["ZZZZ-ZZZZ-ZZZZ-ZZZZ", "123", "", "<b>x</b>", code[:-1] + ("0" if code[-1] != "0" else "1")]:
        response = public.post(reverse("complaints:track"), {"code": typed})
        answers.append((response.status_code, "没有与该查询码对应的投诉" in response.content.decode()))
    assert set(answers) == {(404, True)}
    assert public.post(reverse("complaints:track"), {"code": code}).status_code == 302


def test_a_tracked_complaint_is_not_opened_by_guessing_its_number(public, file_complaint):
    complaint, _ = file_complaint()
    assert public.get(reverse("complaints:tracked", args=[complaint.pk])).status_code == 404


def test_posts_without_the_csrf_token_are_refused_in_chinese(world, client_ip):
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR=client_ip)
    response = browser.post(_report(world["park_a"]), _valid())
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert not Complaint.objects.exists()


def test_intake_is_rate_limited_per_client(public, world, settings, client_ip):
    settings.COMPLAINT_SUBMIT_RATE = "2/m"
    for _ in range(2):
        assert public.post(_report(world["park_a"]), _valid()).status_code == 302
    response = public.post(_report(world["park_a"]), _valid())
    assert response.status_code == 429
    assert "稍后再试" in response.content.decode()
    assert Complaint.objects.count() == 2
    other = Client(REMOTE_ADDR="192.0.2.200")
    assert other.post(_report(world["park_a"]), _valid()).status_code == 302


def test_code_lookups_are_rate_limited_per_client(public, settings, db):
    settings.TRACKING_LOOKUP_RATE = "3/m"
    statuses = [public.post(reverse("complaints:track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}).status_code for _ in range(4)]
    assert statuses == [404, 404, 404, 429]


def test_the_complainant_adds_information_and_sees_the_public_steps(public, file_complaint, world):
    from complaints import services

    complaint, code = file_complaint()
    services.complaint_accept(complaint=complaint, actor=world["inspector"], note="请耐心等待")
    services.complaint_add_note(complaint=complaint, actor=world["inspector"], text="内部：此人多次反映")
    url = public.post(reverse("complaints:track"), {"code": code}).url
    page = public.get(url).content.decode()
    assert "请耐心等待" in page and "内部：此人多次反映" not in page
    response = public.post(url, {"action": "supplement", "text": "   "})
    assert response.status_code == 200 and "必填" in response.content.decode()
    public.post(url, {"action": "supplement", "text": "补充一张照片", "files": [png_file()]})
    assert complaint.events.filter(kind="supplemented", note="补充一张照片").exists()
    assert complaint.attachments.count() == 1


def test_qr_codes_encode_the_report_address(public, world, settings):
    settings.PUBLIC_BASE_URL = "https://qinglian.example.gov.cn"
    park = world["park_a"]
    expected = f"https://qinglian.example.gov.cn/report/{park.code}/?from=qr"
    svg = public.get(reverse("complaints:qr", args=[park.code, "svg"]))
    png = public.get(reverse("complaints:qr", args=[park.code, "png"]))
    assert svg["Content-Type"] == "image/svg+xml"
    document = svg.content.decode()
    # a file of its own (print shops open it in an editor): an XML document in the SVG namespace
    assert document.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in document
    buffer = io.BytesIO()
    segno.make(expected, error="m").save(buffer, kind="svg", scale=8, border=2)
    assert svg.content == buffer.getvalue()
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    poster = public.get(reverse("complaints:poster", args=[park.code])).content.decode()
    assert park.name in poster and "匿名" in poster
    assert public.get(reverse("complaints:qr", args=[park.code, "gif"])).status_code == 404


def test_a_real_browser_post_with_its_origin_header_passes_the_csrf_check(world, client_ip):
    """Browsers send Origin on form posts; a referrer policy of no-referrer would make it "null" and
    every public form would fail. The page keeps the default policy and a same-origin post works."""
    browser = Client(enforce_csrf_checks=True, REMOTE_ADDR=client_ip)
    page = browser.get(_report(world["park_a"]))
    assert "no-referrer" not in page.content.decode()
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        _report(world["park_a"]), {**_valid(), "csrfmiddlewaretoken": token}, HTTP_ORIGIN="http://testserver"
    )
    assert response.status_code == 302


def test_a_clerk_registers_a_walk_in_complaint_at_the_window(client, world, client_ip):
    client.force_login(world["inspector"])
    url = _report(world["park_a"]) + "?from=window"
    page = client.get(url, REMOTE_ADDR=client_ip).content.decode()
    assert "窗口" in page
    response = client.post(url, _valid(contact_name="来访人乙"), REMOTE_ADDR=client_ip)
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.channel == "window"
    assert complaint.complainant.name == "来访人乙"
    assert complaint.complainant.user is None  # the clerk is not the complainant


def test_only_commission_staff_register_at_the_window(public, world):
    public.post(_report(world["park_a"]) + "?from=window", _valid())
    assert Complaint.objects.get().channel == "online"

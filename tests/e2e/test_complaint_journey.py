"""Journey 1: a complaint through the QR code, from a phone, answered twice and closed."""

import struct
import zlib

import pytest

from accounts.choices import Role
from complaints.choices import Rating, Status
from complaints.models import Complaint
from tests.factories import ParkFactory, UserFactory

from .conftest import PHONE

pytestmark = pytest.mark.e2e


def small_png() -> bytes:
    """A real 4×4 red PNG, made here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    header = struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def step(page, name: str, button: str, **fields):
    """Take a step in the staff complaint page's side panel (each step is a card of its own)."""
    card = page.locator(f"#step-{name}")
    for field, value in fields.items():
        control = card.locator(f"[name={field}]")
        if control.evaluate("element => element.tagName") == "SELECT":
            control.select_option(label=value)
        else:
            control.fill(value)
    card.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def test_an_anonymous_complaint_from_the_qr_code_is_answered_reopened_answered_again_and_closed(
    browser_page, login, live_server, tmp_path
):
    park = ParkFactory(code="PDS-GXQ", name="平顶山高新区")
    inspector = UserFactory(role=Role.INSPECTOR, parks=[park], name="纪检干部甲")
    officer = UserFactory(role=Role.PARK_OFFICER, parks=[park], name="园区干部乙")
    photo = tmp_path / "现场照片.png"
    photo.write_bytes(small_png())

    # On a phone, the QR code's link opens the form of this park.
    person = browser_page("complainant", viewport=PHONE)
    person.goto(f"{live_server.url}/report/{park.code}/?from=qr")
    person.get_by_text("平顶山高新区").first.wait_for()
    assert person.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
    for link in ("我要反映问题", "查询进度", "登录"):  # the header's links are not broken over two lines
        assert person.get_by_role("link", name=link).bounding_box()["height"] < 30, link
    person.locator("[name=category]").select_option("favours")
    person.locator("[name=subject]").fill("管委会规划建设局")
    person.locator("[name=description]").fill("2026年11月办理施工许可时，经办人暗示需要宴请才能加快审批。")
    person.locator("[name=is_anonymous]").check()
    person.locator("[name=files]").set_input_files(str(photo))
    person.get_by_role("button", name="提交").click()
    person.get_by_text("已收到您的反映").wait_for()
    code = person.locator(".tracking-code").inner_text().strip()
    assert len(code.replace("-", "")) >= 16

    complaint = Complaint.objects.get()
    assert complaint.channel == "qr" and complaint.is_anonymous
    assert complaint.attachments.count() == 1

    # The inspector accepts it and assigns it to the officer of the park.
    staff = login(browser_page("inspector"), inspector)
    staff.goto(f"{live_server.url}/complaints/{complaint.pk}/")
    staff.get_by_text("现场照片.png").wait_for()
    step(staff, "accept", "受理")
    step(staff, "assign", "派单", officer="园区干部乙")
    staff.get_by_text("已派单").first.wait_for()

    # The officer finds it in the complaint list and replies.
    handler = login(browser_page("officer"), officer)
    handler.goto(f"{live_server.url}/complaints/")
    handler.get_by_role("link", name=complaint.reference).click()
    step(handler, "reply", "答复", text="已约谈规划建设局经办人，审批已按时限办结。")
    handler.get_by_text("已答复").first.wait_for()

    # The person looks the code up (typed in lower case, as people do), is not satisfied: it reopens.
    person.goto(f"{live_server.url}/track/")
    person.locator("[name=code]").fill(code.lower())
    person.get_by_role("button", name="查询").click()
    person.get_by_text("已约谈规划建设局经办人").wait_for()
    person.get_by_label("不满意").check()
    person.locator("#rate [name=comment]").fill("只约谈不处理，问题没有解决。")
    person.get_by_role("button", name="提交评价").click()
    person.get_by_text("感谢您的评价。").wait_for()
    person.get_by_text("办理中").first.wait_for()
    complaint.refresh_from_db()
    assert complaint.status == Status.HANDLING and complaint.reopen_count == 1

    # Answered again; this time the person is satisfied, which closes the case (nobody clicks 办结).
    handler.reload()
    step(handler, "reply", "答复", text="经复查，已责令经办人书面检查并退还相关费用。")
    person.reload()
    person.get_by_label("满意", exact=True).check()
    person.get_by_role("button", name="提交评价").click()
    person.get_by_text("感谢您的评价。投诉已办结。").wait_for()
    staff.reload()
    staff.get_by_text("已办结").first.wait_for()

    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.rating == Rating.SATISFIED
    person.reload()
    person.get_by_text("已办结").first.wait_for()
    assert "经办人书面检查" in person.content()

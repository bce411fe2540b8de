"""Journey 4: a park officer types the addresses of another park's records, and of a complainant's
identity, into the browser — and learns nothing, not even that they exist."""

import pytest

from accounts.choices import Role
from complaints import services as complaints
from tests.factories import (
    EnterpriseFactory,
    ParkFactory,
    SubsidyFactory,
    TaskFactory,
    UserFactory,
)

pytestmark = pytest.mark.e2e

NOT_FOUND = "您访问的页面不存在，或您无权查看。"


def file_complaint(park, **contact):
    return complaints.complaint_submit(
        park=park,
        category="favours",
        subject="管委会审批科",
        description="办理施工许可时被要求宴请。",
        **contact,
    ).complaint


def test_a_park_officer_gets_404_for_another_parks_records_and_never_sees_who_complained(
    browser_page, login, live_server
):
    park_a, park_b = ParkFactory(code="PARK-A"), ParkFactory(code="PARK-B")
    officer = UserFactory(role=Role.PARK_OFFICER, parks=[park_a])
    inspector = UserFactory(role=Role.INSPECTOR, parks=[park_a, park_b])
    enterprise_b = EnterpriseFactory(park=park_b)
    subsidy_b = SubsidyFactory(enterprise=enterprise_b)
    task_b = TaskFactory(finding__park=park_b, owner=UserFactory(role=Role.PARK_OFFICER, parks=[park_b]))
    complaint_b = file_complaint(park_b)
    # A complaint of the officer's own park, assigned to them: they handle it but may not learn who filed it.
    own = file_complaint(park_a, contact_name="李四", contact_phone="13800000000", enterprise_name="举报人企业")
    complaints.complaint_accept(complaint=own, actor=inspector)
    complaints.complaint_assign(complaint=own, actor=inspector, officer=officer)

    page = login(browser_page("officer"), officer)
    for path in (
        f"/enterprises/{enterprise_b.pk}/",
        f"/enterprises/{enterprise_b.pk}/edit/",
        f"/complaints/{complaint_b.pk}/",
        f"/risks/subsidies/{subsidy_b.pk}/",
        f"/risks/subsidies/{subsidy_b.pk}/edit/",
        f"/rectification/{task_b.pk}/",
        f"/findings/{task_b.finding_id}/",
        f"/parks/{park_b.code}/",
    ):
        response = page.goto(live_server.url + path)
        assert response.status == 404, path
        page.get_by_text(NOT_FOUND).wait_for()
        assert enterprise_b.name not in page.content(), path

    # Their own complaint opens — without the complainant's name, phone or enterprise.
    response = page.goto(f"{live_server.url}/complaints/{own.pk}/")
    assert response.status == 200
    page.get_by_text("管委会审批科").first.wait_for()
    html = page.content()
    for secret in ("李四", "13800000000", "举报人企业"):
        assert secret not in html
    assert page.locator(".identity").count() == 0
    # The list of complaints of park A does not name the complainant either, and lists no park B complaint.
    page.goto(f"{live_server.url}/complaints/")
    assert own.reference in page.content()
    assert complaint_b.reference not in page.content()
    assert "李四" not in page.content()

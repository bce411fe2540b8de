"""A collision seen in the browser: a commission admin finds the bid-rigging alert, follows its tie to the
connection view and on to the other contractor; a park officer opens the same view and reads the
shareholder masked. Every page is checked by axe (browser_page)."""

import pytest

from accounts.choices import Role
from risks.engine import evaluate_all
from risks.models import Alert
from tests.collisions.helpers import register
from tests.factories import ContractFactory, ParkFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.e2e


def test_a_bid_rigging_tie_is_followed_to_the_connection_view(browser_page, login, live_server):
    park = ParkFactory(code="PARK-A")
    admin = UserFactory(role=Role.COMMISSION_ADMIN)
    officer = UserFactory(role=Role.PARK_OFFICER, parks=[park])
    project = ProjectFactory(park=park, name="标准厂房二期")
    one, two = ContractFactory(project=project), ContractFactory(project=project)
    register(one.contractor, rep=("王大明", 1), shareholders=[("李小红", 7)], address="建设路88号")
    register(two.contractor, rep=("赵四", 2), shareholders=[("李小红", 7)], address="建设路86号")
    evaluate_all()
    alert = Alert.objects.get(rule="collision_bid_rigging", object_id=project.pk)

    page = login(browser_page("admin"), admin)
    page.goto(f"{live_server.url}/collisions/registrations/?q=建设路88號")
    assert page.locator("tbody tr").count() == 1 and "王大明" in page.locator("tbody").inner_text()
    page.goto(f"{live_server.url}{alert.get_absolute_url()}")
    assert "李**" in page.locator("main").inner_text()
    page.get_by_role("link", name="关联关系图").first.click()
    page.wait_for_url(f"**/collisions/enterprise/{one.contractor.pk}/")
    graph = page.locator("svg[role=figure]")
    assert graph.count() == 1 and "李小红" in page.locator("table").inner_text()
    page.locator(f'svg a[href="/collisions/enterprise/{two.contractor.pk}/"]').click()
    page.wait_for_url(f"**/collisions/enterprise/{two.contractor.pk}/")

    page = login(browser_page("officer"), officer)
    page.goto(f"{live_server.url}/collisions/enterprise/{one.contractor.pk}/")
    text = page.locator("main").inner_text()
    assert "李**" in text and "李小红" not in text and "王大明" not in text

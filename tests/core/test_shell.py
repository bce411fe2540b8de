"""The page shell every user meets: the browser's icon, and refusals that say which role a page is for."""

import pytest
from django.urls import reverse


def test_the_favicon_is_served_where_browsers_look_for_it(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/vnd.microsoft.icon"
    assert b"".join(response.streaming_content).startswith(b"\x00\x00\x01\x00")  # an icon resource


def test_every_page_names_its_icon(client, world):
    client.force_login(world["inspector"])
    assert 'rel="icon"' in client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in client.get(reverse("complaints:track")).content.decode()


@pytest.mark.parametrize(
    ("user", "url_name", "reason"),
    [
        ("enterprise_user", "risks:riskpoint-list", "纪委监委工作人员和园区工作人员"),
        ("enterprise_user", "inspections:inspection-list", "纪委监委工作人员和园区工作人员"),
        ("officer", "evaluations:rounds", "纪委监委管理员和纪检监察干部"),
        ("inspector", "risks:subsidy-create", "园区工作人员和纪委监委管理员"),
        ("enterprise_user", "imports:index", "导入台账"),
    ],
)
def test_a_refusal_says_which_role_the_page_is_for(client, world, user, url_name, reason):
    client.force_login(world[user])
    response = client.get(reverse(url_name))
    assert response.status_code == 403
    assert reason in response.content.decode()

"""Every page a user can reach by following links from the home page answers without a server error and
keeps the Content-Security-Policy without exceptions: a crawl over the demo data, as each demo user."""

import io
import re
from collections import deque

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User

from .test_csp import assert_obeys_csp

LINK = re.compile(r'href="(/[^"#]*)"')
SKIP = ("/logout/", "/admin/", "/static/", "/api/", "/media/", "/imports/", "/exports/")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["admin", "inspector", "officer", "enterprise"])
def test_no_page_reachable_from_home_fails(username):
    call_command("seed_demo", stdout=io.StringIO())
    client = Client()
    client.force_login(User.objects.get(username=username))
    seen, queue, visited = set(), deque(["/"]), 0
    while queue and visited < 120:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        visited += 1
        assert response.status_code < 500, url
        assert_obeys_csp(response, url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            for link in LINK.findall(response.content.decode()):
                link = link.replace("&amp;", "&")
                if not link.startswith(SKIP) and "export=" not in link and link not in seen:
                    queue.append(link)
    assert visited > 10

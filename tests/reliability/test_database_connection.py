"""PostgreSQL drops the portal's connection (a restart, a failover, ``pg_terminate_backend``) between two
requests: the next request finds the persistent connection dead before using it (CONN_MAX_AGE with
CONN_HEALTH_CHECKS: Django checks a reused connection at the start of each request) and opens a new one,
instead of answering 500.

Served by a real gunicorn process: Django's test client disconnects the request-start signal that runs
this check, so it cannot show it."""

import pytest
from django.db import connection
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)


def _server_backends() -> list[int]:
    """The PostgreSQL processes serving anyone but this test (the gunicorn worker's connection)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return [row[0] for row in cursor.fetchall()]


def _terminate(pids: list[int]) -> None:
    with connection.cursor() as cursor:
        for pid in pids:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_the_request_after_the_connection_was_killed_succeeds(portal_server, world):
    portal_server.login(world["inspector"])
    assert portal_server.request(reverse("complaints:list")).status == 200
    held = _server_backends()
    assert held, "the worker keeps its connection between requests (CONN_MAX_AGE)"
    _terminate(held)
    for path in (reverse("complaints:list"), reverse("complaint-list")):
        response = portal_server.request(path)
        assert response.status == 200, response.body[:500]
    assert not set(_server_backends()) & set(held), "a new connection replaced the killed one"


def test_the_public_complaint_page_answers_after_the_connection_was_killed(portal_server, world):
    url = reverse("complaints:report", args=[world["park_a"].code])
    assert portal_server.request(url).status == 200
    _terminate(_server_backends())
    response = portal_server.request(url)
    assert response.status == 200, response.body[:500]
    assert world["park_a"].name in response.body

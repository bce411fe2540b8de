"""The benchmark's bare view (bench/intake.py) exists only in the gunicorn the bench starts."""

from django.conf import settings
from django.urls import Resolver404, resolve


def test_the_bench_view_is_not_routed_unless_the_bench_asks(client, db):
    assert settings.PORTAL_BENCH is False
    try:
        resolve("/bench/bare/")
    except Resolver404:
        pass
    else:
        raise AssertionError("/bench/bare/ is routed without PORTAL_BENCH")
    assert client.get("/bench/bare/").status_code == 404

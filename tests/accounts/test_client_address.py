"""The client's address behind reverse proxies: one setting (TRUSTED_PROXIES), one function (core.http.client_ip),
used by every per-client limit (login lockout, complaint intake, code look-up). Never a 500, never the client's choice."""

import itertools

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from core.http import client_ip

PROXY = "10.0.0.5"  # the address of the reverse proxy, as gunicorn sees it
_clients = itertools.count(1)


def _request(remote_addr=PROXY, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def real_client():
    """A client address of this test's own (rate-limit counters live in Redis across tests)."""
    n = next(_clients)
    return f"203.0.{n // 250 + 100}.{n % 250 + 1}"


def test_without_proxies_the_connecting_address_counts_and_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(_request("192.0.2.7", forwarded="198.51.100.1")) == "192.0.2.7"


def test_behind_one_proxy_the_address_it_appended_counts(settings):
    settings.TRUSTED_PROXIES = 1
    # nginx appends the address that connected to it; whatever the client wrote before is not trusted.
    assert client_ip(_request(forwarded="1.1.1.1, 2.2.2.2, 192.0.2.7")) == "192.0.2.7"
    assert client_ip(_request(forwarded="192.0.2.7")) == "192.0.2.7"


def test_behind_two_proxies_the_outer_proxy_entry_counts(settings):
    settings.TRUSTED_PROXIES = 2
    # load balancer appended the client, nginx appended the load balancer
    assert client_ip(_request(forwarded="6.6.6.6, 192.0.2.7, 10.0.0.9")) == "192.0.2.7"


@pytest.mark.parametrize(
    "forwarded",
    [None, "", " , ", "unknown", "192.0.2.7; drop table", "999.1.1.1", "\x00", "1.1.1.1,, ", "a" * 5000],
)
def test_a_missing_or_garbled_header_falls_back_to_the_connecting_address(settings, forwarded):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request(forwarded=forwarded)) == PROXY


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_connecting_address(settings):
    settings.TRUSTED_PROXIES = 2
    assert client_ip(_request(forwarded="192.0.2.7")) == PROXY


def test_ipv6_addresses_are_kept_and_normalised(settings):
    settings.TRUSTED_PROXIES = 1
    assert client_ip(_request(forwarded="2001:DB8::0:1")) == "2001:db8::1"


def test_an_empty_connecting_address_is_not_a_500(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(_request(remote_addr="")) == "0.0.0.0"  # noqa: S104 - one shared bucket, not a bind address


def test_django_ratelimit_and_axes_use_the_one_function(settings):
    from django.utils.module_loading import import_string

    assert import_string(settings.RATELIMIT_IP_META_KEY) is client_ip
    assert import_string(settings.AXES_CLIENT_IP_CALLABLE) is client_ip


@pytest.mark.parametrize("forwarded", [None, "unknown", "\x00, 1.2"])
def test_login_intake_and_tracking_answer_behind_a_proxy_whatever_the_header(world, settings, forwarded):
    settings.TRUSTED_PROXIES = 1
    extra = {} if forwarded is None else {"HTTP_X_FORWARDED_FOR": forwarded}
    browser = Client(REMOTE_ADDR=PROXY, **extra)
    assert browser.post(reverse("login"), {"username": "nobody", "password": "x"}).status_code == 200
    assert browser.post(reverse("complaints:track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}).status_code == 404
    report = reverse("complaints:report", args=[world["park_a"].code])
    assert browser.post(report, {"subject": ""}).status_code == 200  # the form again, with its errors
    api = browser.post(reverse("public-track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}, content_type="application/json")
    assert api.status_code == 404


def test_a_client_rotating_its_own_forwarded_prefix_is_still_limited(db, settings, real_client):
    settings.TRUSTED_PROXIES = 1
    settings.TRACKING_LOOKUP_RATE = "3/m"
    statuses = [
        Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"198.18.0.{i}, {real_client}")
        .post(reverse("complaints:track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
        .status_code
        for i in range(4)
    ]
    assert statuses == [404, 404, 404, 429]


def test_two_clients_behind_the_same_proxy_are_limited_separately(db, settings, real_client):
    settings.TRUSTED_PROXIES = 1
    settings.TRACKING_LOOKUP_RATE = "2/m"
    first = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=real_client)
    for _ in range(2):
        first.post(reverse("complaints:track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"})
    assert first.post(reverse("complaints:track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}).status_code == 429
    neighbour = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=real_client.rsplit(".", 1)[0] + ".251")
    assert neighbour.post(reverse("complaints:track"), {"code": "ZZZZ-ZZZZ-ZZZZ-ZZZZ"}).status_code == 404

"""The reader's address comes from our own proxies, never from what the client writes.

Each trusted proxy appends the address it saw to ``X-Forwarded-For``; anything to the left
of what our outermost proxy wrote came from the client and may be forged.
"""

import os
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory

from core.net import client_ip
from newsletter.models import Subscriber

PROXY = "10.0.0.5"  # the load balancer: the address the app server sees the request from
READER = "203.0.113.7"  # what our proxy saw, and appended
FORGED = "198.51.100.66"  # what the reader's own request claimed


def request(forwarded_for: str | None, remote_addr: str = PROXY):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


def test_forwarded_for_is_ignored_when_no_proxy_is_configured(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_ip(request(FORGED, remote_addr=READER)) == READER


def test_behind_one_proxy_the_rightmost_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request(READER)) == READER
    # The reader wrote two entries of their own; the proxy appended the real one.
    assert client_ip(request(f"{FORGED}, 192.0.2.1,{READER}")) == READER
    assert client_ip(request(f" {FORGED} ,  {READER} ")) == READER


def test_behind_two_proxies_the_second_entry_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 2

    # CDN saw the reader and appended READER; the load balancer appended the CDN's address.
    assert client_ip(request(f"{FORGED}, {READER}, 172.16.0.9")) == READER


@pytest.mark.parametrize("count, forwarded_for", [(1, None), (1, ""), (1, " , "), (2, READER), (3, f"{FORGED}, {READER}")])
def test_fewer_hops_than_trusted_proxies_fall_back_to_the_connecting_address(settings, count, forwarded_for):
    settings.TRUSTED_PROXY_COUNT = count

    assert client_ip(request(forwarded_for)) == PROXY


def settings_value(name: str, env: dict, tmp_path) -> str:
    """``name`` as wisegeek.settings computes it from ``env`` alone, in a fresh process."""
    clean = {k: v for k, v in os.environ.items() if k not in {"BEHIND_PROXY", "TRUSTED_PROXY_COUNT"}}
    result = subprocess.run(
        [sys.executable, "-c", f"from django.conf import settings; print(settings.{name})"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "wisegeek.settings", "SECRET_KEY": "x" * 50,
             "VAR_DIR": str(tmp_path), **env},
        capture_output=True, text=True, cwd=django_settings.BASE_DIR, check=True,
    )
    return result.stdout.strip()


def test_behind_proxy_means_one_trusted_proxy_and_the_count_can_be_set(tmp_path):
    assert settings_value("TRUSTED_PROXY_COUNT", {}, tmp_path) == "0"
    assert settings_value("TRUSTED_PROXY_COUNT", {"BEHIND_PROXY": "1"}, tmp_path) == "1"
    assert settings_value("TRUSTED_PROXY_COUNT", {"BEHIND_PROXY": "1", "TRUSTED_PROXY_COUNT": "2"}, tmp_path) == "2"


def wait_for_a_fresh_window(window: int, needed: float = 120) -> None:
    """Start where a fixed rate-limit window has ``needed`` seconds left, so the run is one window."""
    left = window - time.time() % window
    if left < needed:
        time.sleep(left + 0.1)


@pytest.mark.django_db
def test_forged_forwarded_for_neither_escapes_the_signup_limit_nor_becomes_consent_evidence(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT = 10
    wait_for_a_fresh_window(3600)

    statuses = []
    for n in range(200):
        # One reader behind our one proxy, claiming a new address every time.
        forged = f"198.51.{n // 250}.{n % 250 + 1}"
        response = client.post(
            "/newsletter/", {"email": f"reader{n}@example.com"},
            REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{forged}, {READER}",
        )
        statuses.append(response.status_code)

    assert statuses.count(302) == 10
    assert statuses.count(429) == 190
    assert statuses[:10] == [302] * 10
    assert set(Subscriber.objects.values_list("consent_ip", flat=True)) == {READER}
    assert Subscriber.objects.count() == 10
    # Another reader behind the same proxy still gets through.
    response = client.post("/newsletter/", {"email": "other@example.com"},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{READER}, 192.0.2.44")
    assert response.status_code == 302
    assert Subscriber.objects.get(email="other@example.com").consent_ip == "192.0.2.44"


@pytest.mark.parametrize("entry, expected", [
    ("203.0.113.7:5678", READER), ("[2001:db8::7]:443", "2001:db8::7"), ("2001:db8::7", "2001:db8::7"),
    ("unknown", PROXY), ("<script>", PROXY), ("203.0.113.999", PROXY),
])
def test_an_entry_with_a_port_is_its_address_and_one_without_an_address_is_not_believed(settings, entry, expected):
    settings.TRUSTED_PROXY_COUNT = 1

    assert client_ip(request(f"{FORGED}, {entry}")) == expected


@pytest.mark.django_db
def test_a_signup_whose_proxy_entry_is_not_an_address_is_answered_and_stored_with_the_proxy_address(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1

    response = client.post("/newsletter/", {"email": "reader@example.com"},
                           REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")

    assert response.status_code == 302
    assert Subscriber.objects.get(email="reader@example.com").consent_ip == PROXY

"""Sign-in attempts are limited per username and per client address (django-axes): either
limit locks, the lock-out page says when to try again, the lock lifts after the cool-off,
and a successful sign-in clears the username's count."""

import subprocess
import sys
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.urls import reverse

from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db

LIMIT = settings.LOGIN_FAILURE_LIMIT


def assert_locked_out(response):
    page = response.content.decode()
    assert response.status_code == 429, page[:500]
    assert "Signing in is locked for now" in page
    assert f"Try again in {settings.LOGIN_COOLOFF_MINUTES} minutes" in page
    assert "login" in page.split("<body", 1)[1].split(">", 1)[0]  # the admin's sign-in look
    assert "Traceback" not in page and "axes" not in page.lower()


def assert_signed_in(response):
    assert response.status_code == 302 and response["Location"] == "/admin/", response.content.decode()[:500]


def test_wrong_passwords_for_one_username_from_many_addresses_lock_that_username(client, editor, django_user_model):
    for attempt in range(LIMIT - 1):
        response = sign_in(client, "editor", f"wrong-{attempt}", ip=f"198.51.100.{attempt + 1}")
        assert response.status_code == 200 and "Please enter the correct username and password" in response.content.decode()
    assert_locked_out(sign_in(client, "editor", "wrong-again", ip="198.51.100.200"))  # the last one allowed

    # The right password from an address never seen before: refused, the username is locked.
    assert_locked_out(sign_in(client, "editor", PASSWORD, ip="203.0.113.99"))
    # Those addresses are not locked for other people.
    django_user_model.objects.create_user("writer", password=PASSWORD, is_staff=True)
    assert_signed_in(sign_in(client, "writer", PASSWORD, ip="198.51.100.1"))


def test_wrong_passwords_from_one_address_across_usernames_lock_the_address(client, editor):
    for attempt in range(LIMIT - 1):
        assert sign_in(client, f"guess-{attempt}", "wrong", ip="198.51.100.7").status_code == 200
    assert_locked_out(sign_in(client, "guess-last", "wrong", ip="198.51.100.7"))

    assert_locked_out(sign_in(client, "editor", PASSWORD, ip="198.51.100.7"))
    # The same account from elsewhere is fine: only that address is locked.
    assert_signed_in(sign_in(client, "editor", PASSWORD, ip="203.0.113.5"))


def test_a_forged_x_forwarded_for_does_not_make_a_new_address(client, editor):
    """With no proxy of ours in front (TRUSTED_PROXY_COUNT=0), the header is not read at all."""
    for attempt in range(LIMIT):
        sign_in(client, f"guess-{attempt}", "wrong", ip="198.51.100.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}")

    assert_locked_out(sign_in(client, "editor", PASSWORD, ip="198.51.100.7", HTTP_X_FORWARDED_FOR="10.9.9.9"))


def test_behind_our_proxy_the_address_is_the_one_the_proxy_saw(client, editor, settings):
    """Behind one proxy, every request comes from the proxy's address; the client is the
    entry the proxy appended, and whatever the client wrote before it is ignored."""
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for attempt in range(LIMIT):
        sign_in(client, f"guess-{attempt}", "wrong", ip=proxy,
                HTTP_X_FORWARDED_FOR=f"172.16.0.{attempt}, 198.51.100.7")

    assert_locked_out(sign_in(client, "editor", PASSWORD, ip=proxy,
                              HTTP_X_FORWARDED_FOR="172.16.9.9, 198.51.100.7"))
    # Another reader behind the same proxy is not locked out.
    assert_signed_in(sign_in(client, "editor", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5"))


def test_the_lock_lifts_after_the_cool_off(client, editor, settings):
    """Counted in the database (the default without Redis); the clock is moved by making
    every recorded attempt older by the cool-off."""
    settings.AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
    for attempt in range(LIMIT):
        sign_in(client, "editor", f"wrong-{attempt}", ip=f"198.51.100.{attempt + 1}")
    assert_locked_out(sign_in(client, "editor", PASSWORD))

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES - 1))
    assert_locked_out(sign_in(client, "editor", PASSWORD))  # a minute early: still locked (and the wait restarts)

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=settings.LOGIN_COOLOFF_MINUTES))
    assert_signed_in(sign_in(client, "editor", PASSWORD))


def test_a_successful_sign_in_clears_the_usernames_count(client, editor):
    for attempt in range(LIMIT - 1):
        sign_in(client, "editor", f"wrong-{attempt}", ip=f"198.51.100.{attempt + 1}")
    assert_signed_in(sign_in(client, "editor", PASSWORD, ip="203.0.113.5"))
    client.logout()

    for attempt in range(LIMIT - 1):
        assert sign_in(client, "editor", f"wrong-{attempt}", ip=f"198.51.100.{attempt + 50}").status_code == 200
    assert_signed_in(sign_in(client, "editor", PASSWORD, ip="203.0.113.5"))


def test_a_form_without_a_username_is_refused_plainly(client, editor):
    """No password is checked without a username, so nothing is counted and nothing fails."""
    for _ in range(LIMIT + 2):
        response = client.post(reverse("admin:login"), {"password": "x"}, REMOTE_ADDR="198.51.100.8")
        assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert_signed_in(sign_in(client, "editor", PASSWORD, ip="198.51.100.8"))


def test_limits_come_from_the_environment(tmp_path):
    code = ("import django; django.setup(); from django.conf import settings as s; "
            "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds(), s.AXES_HANDLER)")
    env = {"LOGIN_FAILURE_LIMIT": "9", "LOGIN_COOLOFF_MINUTES": "2", "VAR_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "wisegeek.settings", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["9", "120.0", "axes.handlers.database.AxesDatabaseHandler"]
    out = subprocess.run([sys.executable, "-c", code], env={**env, "REDIS_URL": "redis://127.0.0.1:6379/2"},
                         capture_output=True, text=True, check=True).stdout
    assert out.split()[2] == "axes.handlers.cache.AxesCacheHandler"

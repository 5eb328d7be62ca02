"""Two-factor sign-in: staff turn it on (confirmed by a first code) and off (with a current
code); signing in then asks for the code; OTP_REQUIRED_FOR_STAFF makes it required.
Codes are computed as an authenticator app does (django_otp.oath.totp)."""

from binascii import unhexlify
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import SETUP_KEY
from tests.accounts.conftest import PASSWORD, sign_in

pytestmark = pytest.mark.django_db


def code(key_hex: str, steps_ahead: int = 0) -> str:
    """The code an app shows now (or ``steps_ahead`` 30-second steps later) for the secret."""
    return f"{totp(unhexlify(key_hex), drift=steps_ahead):06d}"


def move_clock(monkeypatch, seconds: float) -> None:
    now = timezone.now() + timedelta(seconds=seconds)
    monkeypatch.setattr(timezone, "now", lambda: now)


def turn_on(client, user) -> TOTPDevice:
    client.force_login(user)
    client.get(reverse("accounts:two_factor"))
    key = client.session[SETUP_KEY]
    response = client.post(reverse("accounts:two_factor"), {"code": code(key)})
    assert response.status_code == 302, response.content.decode()[:500]
    return TOTPDevice.objects.get(user=user)


def test_a_staff_user_turns_two_factor_sign_in_on_with_a_first_code(client, editor):
    client.force_login(editor)
    assert f'href="{reverse("accounts:two_factor")}">Two-factor sign-in</a>' in client.get(reverse("admin:index")).content.decode()
    page = client.get(reverse("accounts:two_factor"))
    html = page.content.decode()
    key = client.session[SETUP_KEY]
    assert page.status_code == 200 and "Two-factor sign-in is <strong>off</strong>" in html
    assert "otpauth://totp/WiseGeek%3Aeditor?secret=" in html and "issuer=WiseGeek" in html
    assert 'src="data:image/svg+xml' in html  # the QR code
    assert "<script" not in html.split('id="content-main"', 1)[1]  # nothing inline for the CSP to refuse
    assert not TOTPDevice.objects.exists()  # nothing saved before the app proves it has the secret

    wrong = client.post(reverse("accounts:two_factor"), {"code": f"{(int(code(key)) + 1) % 1_000_000:06d}"})
    assert wrong.status_code == 400 and "That code does not match" in wrong.content.decode()
    assert not TOTPDevice.objects.exists()
    assert client.post(reverse("accounts:two_factor"), {"code": "12ab56"}).status_code == 400

    response = client.post(reverse("accounts:two_factor"), {"code": code(key)}, follow=True)
    assert "The authenticator app is set up" in response.content.decode()
    assert "Two-factor sign-in is <strong>on</strong>" in response.content.decode()
    device = TOTPDevice.objects.get(user=editor)
    assert device.confirmed and device.key == key


def test_signing_in_asks_for_the_code_and_each_code_works_once(client, editor, monkeypatch):
    device = turn_on(client, editor)
    client.logout()

    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")
    assert client.get(reverse("admin:index")).status_code == 302  # the password alone signs nobody in

    wrong = client.post(reverse("accounts:login_code"), {"code": f"{(int(code(device.key, 1)) + 7) % 1_000_000:06d}"})
    assert wrong.status_code == 400 and "That code is not right" in wrong.content.decode()
    # The code the app shows a step later (a device whose clock runs ahead a little).
    move_clock(monkeypatch, 2)  # past the pause a wrong code costs
    response = client.post(reverse("accounts:login_code"), {"code": code(device.key, 1)})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get(reverse("admin:index")).status_code == 200

    # Signed out and in again: the same code is refused, even with the right password.
    client.logout()
    sign_in(client, "editor", PASSWORD)
    reused = client.post(reverse("accounts:login_code"), {"code": code(device.key, 1)})
    assert reused.status_code == 400 and "used already" in reused.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_code_step_needs_the_password_step_first_and_expires(client, editor, monkeypatch):
    device = turn_on(client, editor)
    client.logout()
    response = client.post(reverse("accounts:login_code"), {"code": code(device.key)})
    assert response.status_code == 302 and response["Location"] == reverse("admin:login")

    sign_in(client, "editor", PASSWORD)
    move_clock(monkeypatch, 301)
    response = client.post(reverse("accounts:login_code"), {"code": code(device.key, 1)})
    assert response.status_code == 302 and response["Location"] == reverse("admin:login")
    assert client.get(reverse("admin:index")).status_code == 302


def test_turning_it_off_asks_for_a_current_code(client, editor, monkeypatch):
    device = turn_on(client, editor)
    wrong = client.post(reverse("accounts:two_factor_off"), {"code": f"{(int(code(device.key, 1)) + 3) % 1_000_000:06d}"})
    assert wrong.status_code == 400 and TOTPDevice.objects.filter(user=editor).exists()
    assert client.post(reverse("accounts:two_factor_off"), {"code": ""}).status_code == 400

    move_clock(monkeypatch, 2)  # past the pause a wrong code costs
    response = client.post(reverse("accounts:two_factor_off"), {"code": code(device.key, 1)}, follow=True)
    assert "Two-factor sign-in is off" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=editor).exists()
    client.logout()
    assert sign_in(client, "editor", PASSWORD)["Location"] == "/admin/"  # password only again


def test_a_session_signed_in_without_the_code_is_signed_out_once_the_user_has_an_authenticator(client, editor):
    turn_on(client, editor)
    client.logout()
    client.force_login(editor)  # e.g. a browser signed in before two-factor sign-in was turned on
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))
    assert client.get(reverse("admin:index")).status_code == 302


def test_required_for_staff_a_user_without_an_authenticator_can_only_set_one_up(client, editor, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    response = sign_in(client, "editor", PASSWORD)
    assert response.status_code == 302  # the password is accepted...
    for path in (reverse("admin:index"), reverse("admin:auth_user_changelist")):
        response = client.get(path)  # ...but every admin page leads to the set-up page
        assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor")
    page = client.get(reverse("accounts:two_factor"), follow=True)
    assert "Two-factor sign-in is required here" in page.content.decode()

    key = client.session[SETUP_KEY]
    client.post(reverse("accounts:two_factor"), {"code": code(key)})
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.post(reverse("admin:logout")).status_code == 200


def test_not_required_by_default(client, editor):
    sign_in(client, "editor", PASSWORD)
    assert client.get(reverse("admin:index")).status_code == 200

"""Passkeys in the browser: the superuser adds one from the two-factor page, is then
asked for it after the password and signs in with it; a browser without that passkey
cannot; the passkey is removed again.

Chromium's virtual authenticator (the DevTools WebAuthn domain) stands in for the
phone or security key: the page, django-otp-webauthn's scripts, the browser's WebAuthn
API and the server's checks are all real. Passkeys belong to a domain, never to an IP
address, so these pages are opened at localhost, the site's other name here.

(accounts/passkeys.py, accounts/views.py, accounts/templates/accounts/)
"""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_two_factor import sign_in_with_password
from tests.e2e.browser import NARROW
from tests.liveserver import ADMIN_USERNAME

REMOVE_PASSKEYS = f"""
from django_otp_webauthn.models import WebAuthnCredential
WebAuthnCredential.objects.filter(user__username={ADMIN_USERNAME!r}).delete()
"""


@pytest.fixture
def admin_has_no_passkey_afterwards(live_site):
    """Every other journey signs in as the superuser with the password only."""
    yield
    live_site.manage("shell", "-c", REMOVE_PASSKEYS)


@pytest.fixture
def at_localhost(live_site, open_context):
    """Open a context at http://localhost:<port> with a virtual platform authenticator
    (user verification by "fingerprint" always succeeds); returns (page, authenticator)."""

    def open_(**options):
        context = open_context(base_url=live_site.base.replace("127.0.0.1", "localhost"), **options)
        page = context.new_page()
        devtools = context.new_cdp_session(page)
        devtools.send("WebAuthn.enable")
        authenticator = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": {
            "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
            "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
        }})["authenticatorId"]
        return page, lambda: devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]

    return open_


def test_superuser_adds_a_passkey_then_signs_in_with_it(admin_has_no_passkey_afterwards, at_localhost):
    page, credentials = at_localhost()
    sign_in_with_password(page)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Adding one, from the link in the admin's header.
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.locator("#content-main")).to_contain_text("Two-factor sign-in is off.")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator(".messagelist .success")).to_have_text("Passkey 1 is added: signing in can now ask for it.")
    expect(page.locator("#content-main")).to_contain_text(
        "Two-factor sign-in is on: after your password, signing in asks for a passkey.")
    expect(page.locator(".passkey-list tbody tr")).to_have_count(1)
    expect(page.locator(".passkey-list")).to_contain_text("Passkey 1 (used for this sign-in)")
    [stored] = credentials()
    assert stored["rpId"] == "localhost" and stored["isResidentCredential"]

    # Signed out and in again: the password is right, and the passkey is asked for.
    page.get_by_role("button", name="Log out").click()
    sign_in_with_password(page)
    expect(page).to_have_url(re.compile(r"/admin/login/code/$"))
    expect(page.locator("#content-main")).to_contain_text("Your password was right. Now use your passkey.")
    expect(page.get_by_label("Code from your authenticator app")).to_have_count(0)  # no app set up
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    page.get_by_role("button", name="Use your passkey").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    [used] = credentials()
    assert used["signCount"] > stored["signCount"]  # the authenticator signed the site's challenge

    # Its list says when it was last used; removing it turns two-factor sign-in off.
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page.locator(".passkey-list tbody td").nth(2)).not_to_have_text("Not yet")
    page.get_by_role("button", name="Remove Passkey 1").click()
    expect(page.locator(".messagelist .success")).to_have_text("The passkey is removed.")
    expect(page.locator("#content-main")).to_contain_text("Two-factor sign-in is off.")
    expect(page.locator(".passkey-list")).to_have_count(0)


def test_a_browser_without_the_passkey_is_not_signed_in(admin_has_no_passkey_afterwards, at_localhost):
    owner, _ = at_localhost()
    sign_in_with_password(owner)
    owner.get_by_role("link", name="Two-factor sign-in").click()
    owner.get_by_role("button", name="Add a passkey").click()
    expect(owner.locator(".messagelist .success")).to_be_visible()

    # Someone with the password, on a phone whose authenticator has no passkey for it.
    stranger, credentials = at_localhost(viewport=NARROW)
    sign_in_with_password(stranger)
    stranger.get_by_role("button", name="Use your passkey").click()
    expect(stranger.locator("#passkey-verification-status-message")).to_have_text(
        re.compile("^Verification (canceled or not allowed|failed)"))
    expect(stranger).to_have_url(re.compile(r"/admin/login/code/$"))
    assert credentials() == []
    stranger.goto("/admin/")
    expect(stranger).to_have_url(re.compile(r"/admin/login/"))
    expect(stranger.get_by_role("button", name="Log out")).to_have_count(0)


def test_at_an_address_passkeys_do_not_work_the_page_says_where_they_do(
    admin_has_no_passkey_afterwards, admin_page, live_site,
):
    # admin_page is at 127.0.0.1: an IP address can hold no passkey.
    admin_page.get_by_role("link", name="Two-factor sign-in").click()
    localhost = live_site.base.replace("127.0.0.1", "localhost")
    expect(admin_page.locator("#content-main")).to_contain_text(f"Passkeys work only at {localhost}/admin/.")
    expect(admin_page.get_by_role("button", name="Add a passkey")).to_have_count(0)
    expect(admin_page.get_by_role("link", name="Open the admin there")).to_have_attribute("href", f"{localhost}/admin/")

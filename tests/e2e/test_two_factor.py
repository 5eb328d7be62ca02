"""Two-factor sign-in in the browser: the superuser turns it on from the admin's header,
with the secret the page shows, is then asked for a code after the password (a wrong one
is refused, the right one signs in) and turns it off again.

(accounts/views.py, accounts/two_factor.py, accounts/middleware.py and
accounts/templates/accounts/)
"""

import re
import time
from base64 import b32decode
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from django_otp.oath import hotp
from playwright.sync_api import expect

from tests.liveserver import ADMIN_PASSWORD, ADMIN_USERNAME

CODE_LABEL = "Code from your authenticator app"
TOTP_STEP_SECONDS = 30
# django-otp refuses any code for 1 s after a wrong one (and twice as long after each
# further one), so a right code sent at once would be refused too.
WRONG_CODE_PAUSE_MS = 1_500

REMOVE_AUTHENTICATORS = f"""
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.filter(user__username={ADMIN_USERNAME!r}).delete()
"""


class AuthenticatorApp:
    """What a phone's authenticator app does with the secret: show the code for the
    current 30-second step (django_otp.oath computes it as apps do).

    The site takes each code once, so a person who has just used one waits for the next;
    ``next_code`` gives that next one at once, which the site accepts because it allows
    one step of clock difference between phone and server."""

    def __init__(self, secret: str):
        self.key = b32decode(secret + "=" * (-len(secret) % 8))
        self.last_step = None

    def code_for(self, step: int) -> str:
        return f"{hotp(self.key, step):06d}"

    def next_code(self) -> str:
        step = int(time.time()) // TOTP_STEP_SECONDS
        if self.last_step is not None:
            step = max(step, self.last_step + 1)
        self.last_step = step
        return self.code_for(step)

    def wrong_code(self) -> str:
        """Six digits that are none of the codes the site could accept now."""
        now = int(time.time()) // TOTP_STEP_SECONDS
        near = {self.code_for(step) for step in range(now - 3, now + 4)}
        return next(f"{n:06d}" for n in range(123_456, 1_000_000) if f"{n:06d}" not in near)


@pytest.fixture
def admin_has_no_authenticator_afterwards(live_site):
    """The live site is shared by the whole e2e session and every other journey signs
    in as the superuser with the password only: whatever happens in the test, the
    superuser leaves it without an authenticator."""
    yield
    live_site.manage("shell", "-c", REMOVE_AUTHENTICATORS)


def sign_in_with_password(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_superuser_turns_on_two_factor_sign_in_then_signs_in_with_a_code(
    admin_has_no_authenticator_afterwards, admin_page, open_context,
):
    page = admin_page

    # Turning it on, from the link in the admin's header.
    page.get_by_role("link", name="Two-factor sign-in").click()
    expect(page).to_have_title(re.compile("^Two-factor sign-in"))
    expect(page.locator("#content-main")).to_contain_text("Two-factor sign-in is off.")
    expect(page.get_by_role("img", name=re.compile("^QR code"))).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text().strip()
    setup_uri = urlsplit(page.locator("#two-factor-uri").inner_text().strip())
    assert setup_uri.scheme == "otpauth" and setup_uri.netloc == "totp"
    issuer = parse_qs(setup_uri.query)["issuer"][0]  # the site's name, shown beside the account
    assert unquote(setup_uri.path) == f"/{issuer}:{ADMIN_USERNAME}"
    assert parse_qs(setup_uri.query)["secret"] == [secret]
    app = AuthenticatorApp(secret)

    page.get_by_label(CODE_LABEL).fill(app.next_code())
    page.get_by_role("button", name="Turn on the authenticator app").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        "The authenticator app is set up: from now on, signing in can ask for a code from your app."
    )
    expect(page.locator("#content-main")).to_contain_text(
        "Two-factor sign-in is on: after your password, signing in asks for a code from your authenticator app."
    )
    expect(page.locator("#two-factor-secret")).to_have_count(0)  # the secret is shown only while setting up

    # Signed out and in again: the password is right, and a code is asked for.
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in again")).to_be_visible()
    sign_in_with_password(page)
    expect(page).to_have_url(re.compile(r"/admin/login/code/$"))
    expect(page.locator("#content-main")).to_contain_text(
        "Your password was right. Now enter the six-digit code your authenticator app shows"
    )
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    # A wrong code is refused, and says what to do.
    page.get_by_label(CODE_LABEL).fill(app.wrong_code())
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".errorlist")).to_contain_text(
        "That code is not right, or was used already. Wait for the next code in your app and enter it"
    )
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    # The right one signs in to the admin.
    page.wait_for_timeout(WRONG_CODE_PAUSE_MS)
    page.get_by_label(CODE_LABEL).fill(app.next_code())
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("button", name="Log out")).to_be_visible()

    # Turning it off again takes a current code too.
    page.get_by_role("link", name="Two-factor sign-in").click()
    page.get_by_label(CODE_LABEL).fill(app.next_code())
    page.get_by_role("button", name="Turn off the authenticator app").click()
    expect(page.locator(".messagelist .success")).to_have_text(
        "Two-factor sign-in is off: signing in asks for your password only."
    )
    expect(page.locator("#content-main")).to_contain_text("Two-factor sign-in is off.")

    # And the password alone signs in again.
    elsewhere = open_context().new_page()
    sign_in_with_password(elsewhere)
    expect(elsewhere).to_have_url(re.compile(r"/admin/$"))
    expect(elsewhere.get_by_role("button", name="Log out")).to_be_visible()

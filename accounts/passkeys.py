"""Passkeys (WebAuthn, through django-otp-webauthn) as a second sign-in factor.

A staff user may add passkeys beside, or instead of, an authenticator app. Each ceremony
is two requests: the options (a fresh challenge, kept in the session) and the browser's
signed answer, checked by py_webauthn against that challenge, the relying party
(OTP_WEBAUTHN_RP_ID) and the allowed origins. The challenge leaves the session before
the answer is checked, so no answer can be used twice.

Signing in with one continues the pending sign-in of accounts.two_factor: only after the
password was right, and only with a passkey of that same user.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django_otp import login as otp_login
from django_otp_webauthn import exceptions as api_errors
from django_otp_webauthn.models import WebAuthnCredential
from django_otp_webauthn.utils import rewrite_exceptions
from webauthn.helpers.exceptions import WebAuthnException

from accounts import two_factor

log = logging.getLogger(__name__)

ADD_STATE_KEY = "accounts_passkey_add_state"
SIGN_IN_STATE_KEY = "accounts_passkey_sign_in_state"


class PasskeyError(Exception):
    """A ceremony that cannot go on; ``message`` is for the person, ``status`` the HTTP one."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def passkeys_for(user):
    """The user's passkeys, oldest first."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def usable_here(request) -> bool:
    """Whether this page's origin is one passkeys may be used from: browsers tie a
    passkey to its domain, and the site checks the origin of every answer."""
    origin = f"{request.scheme}://{request.get_host()}"
    return origin in settings.OTP_WEBAUTHN_ALLOWED_ORIGINS


def where_usable() -> str:
    """The address to open the admin at for passkeys ("" when there is none)."""
    origins = settings.OTP_WEBAUTHN_ALLOWED_ORIGINS
    return f"{origins[0]}/{settings.ADMIN_URL}" if origins else ""


def answer_from(request) -> dict:
    """The browser's answer: a JSON object, or a PasskeyError."""
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: arrays nested thousands deep
        raise PasskeyError("The browser's answer could not be read. Try again.") from None
    if not isinstance(data, dict):
        raise PasskeyError("The browser's answer could not be read. Try again.")
    return data


def _helper(request):
    return WebAuthnCredential.get_webauthn_helper(request=request)


def _take_state(request, key: str) -> dict:
    """The ceremony's state, removed from the session (and the session saved) before the
    answer is looked at, so it serves one answer at most."""
    state = request.session.pop(key, None)
    request.session.save()
    if not isinstance(state, dict):
        raise PasskeyError("This page waited too long or was used already. Reload it and try again.")
    return state


def _checked(verify):
    """Run a py_webauthn check; what it refuses becomes a PasskeyError."""
    try:
        # No logger for the library: a refused answer is routine, not an error with a traceback.
        with rewrite_exceptions(logger=None):
            return verify()
    # ValueError: py_webauthn decodes an assertion's userHandle outside its own error
    # handling, so malformed base64 there comes out as binascii.Error.
    except (api_errors.OTPWebAuthnApiError, WebAuthnException, ValueError) as error:
        log.info("passkey refused: %s", error)
        raise PasskeyError("That passkey could not be verified. Try again, or use another way to "
                           "sign in.", status=403 if getattr(error, "status_code", 400) == 403 else 400) from None


# --- Adding one ---------------------------------------------------------------------

def _may_add(request) -> None:
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        raise PasskeyError("Sign in first.", status=403)
    if two_factor.has_second_factor(user) and not user.is_verified():
        raise PasskeyError("Sign in with your current second factor first.", status=403)
    if not usable_here(request):
        raise PasskeyError(f"Passkeys work at {where_usable() or 'an HTTPS address'} only.", status=403)


def add_options(request) -> dict:
    """What the browser needs to create a passkey for the signed-in user (the passkeys
    they have already are excluded, so one authenticator is not added twice)."""
    _may_add(request)
    options, state = _helper(request).register_begin(user=request.user)
    request.session[ADD_STATE_KEY] = state
    return options


def _without_malformed_extensions(data: dict) -> dict:
    """The extension results, which the library reads without checking their shape, kept
    only when they are what browsers send (credProps: {rk: bool})."""
    results = data.get("clientExtensionResults")
    props = results.get("credProps") if isinstance(results, dict) else None
    if not (isinstance(props, dict) and isinstance(props.get("rk", False), bool)):
        data = {**data, "clientExtensionResults": {}}
    return data


def add(request, data: dict) -> WebAuthnCredential:
    """Save the passkey the browser created, once its answer checks out; the session
    counts as having passed two-factor sign-in from then on."""
    _may_add(request)
    state = _take_state(request, ADD_STATE_KEY)
    data = _without_malformed_extensions(data)
    try:
        with transaction.atomic():
            device = _checked(lambda: _helper(request).register_complete(user=request.user, state=state,
                                                                          data=data))
    except IntegrityError:
        raise PasskeyError("This passkey is already added.") from None
    device.name = next_name(request.user)
    device.save(update_fields=["name"])
    if not request.user.is_verified():
        otp_login(request, device)
    return device


def next_name(user) -> str:
    """"Passkey N", N one more than the highest in use, so names stay apart after a removal."""
    numbers = [int(name.rpartition(" ")[2]) for name in passkeys_for(user).values_list("name", flat=True)
               if name.rpartition(" ")[2].isdigit()]
    return f"Passkey {max(numbers, default=0) + 1}"


def remove(request, pk: int) -> bool:
    """Remove one of the signed-in user's own passkeys. The session stays signed in; if
    this passkey verified it, django-otp's middleware no longer counts it as verified."""
    deleted, _ = passkeys_for(request.user).filter(pk=pk).delete()
    return bool(deleted)


# --- Signing in with one ------------------------------------------------------------

def sign_in_options(request) -> dict:
    """The challenge for the pending sign-in's user, naming their passkeys."""
    found = two_factor.pending(request)
    if found is None:
        raise PasskeyError("Sign in with your username and password first.", status=403)
    user, _next_url = found
    options, state = _helper(request).authenticate_begin(user=user, require_user_verification=False)
    request.session[SIGN_IN_STATE_KEY] = state
    return options


def sign_in(request, data: dict) -> str:
    """Complete the pending sign-in with the browser's signed answer; returns where to go."""
    found = two_factor.pending(request)
    state = _take_state(request, SIGN_IN_STATE_KEY)
    if found is None:
        raise PasskeyError("Sign in with your username and password first.", status=403)
    user, _next_url = found
    with transaction.atomic():
        # Answers for the same user wait for each other, so a signature counter read
        # by one is the counter the other left.
        list(passkeys_for(user).select_for_update())
        device = _checked(lambda: _helper(request).authenticate_complete(user=user, state=state, data=data))
        if not device.confirmed:
            raise PasskeyError("That passkey is turned off.", status=403)
    return two_factor.finish_pending(request, device)

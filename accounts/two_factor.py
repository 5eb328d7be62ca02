"""Two-factor sign-in: an authenticator app (TOTP, through django-otp) and passkeys
(accounts.passkeys) are the second factors a staff user can have.

A staff user has at most one authenticator: set up from a secret kept in the session
until the first code proves the app has it, then saved as a confirmed TOTPDevice.
Signing in with a second factor is two steps: the password (accounts.views.AdminLoginView)
leaves a pending sign-in in the session, and a code from the app (accounts.views.login_code)
or a passkey (accounts.passkeys.sign_in) completes it.
"""

import time
from base64 import b32encode
from binascii import unhexlify

import segno
from django.contrib.auth import get_user_model
from django.contrib.auth import login as auth_login
from django.db import transaction
from django.utils import timezone
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

SETUP_KEY = "accounts_two_factor_setup_key"
PENDING_KEY = "accounts_two_factor_pending"
# How long the code may take after the password was accepted.
PENDING_MAX_AGE = 300


def device_for(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    if not user.is_authenticated:
        return None
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def has_second_factor(user) -> bool:
    """Whether signing in asks this user for more than the password: an authenticator
    app or a passkey (any confirmed django-otp device)."""
    return user.is_authenticated and user_has_device(user, confirmed=True)


# --- Turning it on and off -----------------------------------------------------------

def setup_key(request) -> str:
    """The secret offered to the signed-in user's app (hex), kept in the session until
    it is confirmed, so reloading the page shows the same one."""
    if SETUP_KEY not in request.session:
        request.session[SETUP_KEY] = default_key()
    return request.session[SETUP_KEY]


def setup_details(request) -> dict:
    """What the set-up page shows: the secret (as apps take it typed in), the otpauth://
    URI and a QR code of it (an SVG data: URI, for an <img>)."""
    device = TOTPDevice(user=request.user, key=setup_key(request), name="Authenticator app")
    uri = device.config_url
    return {
        "secret": b32encode(unhexlify(device.key)).decode(),
        "otpauth_uri": uri,
        "qr_code": segno.make(uri, error="m").svg_data_uri(scale=4, border=2),
    }


def confirm_setup(request, code: str) -> TOTPDevice | None:
    """Save the authenticator if ``code`` is the current one for the secret offered;
    the session counts as verified from then on."""
    key = request.session.get(SETUP_KEY)
    if not key or not code.isdigit():
        return None
    totp = TOTP(unhexlify(key))
    totp.time = time.time()
    if not totp.verify(int(code), tolerance=1):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user).delete()
        # last_t: the code that confirmed it cannot be used again to sign in.
        device = TOTPDevice.objects.create(
            user=request.user, key=key, name="Authenticator app", confirmed=True, last_t=totp.t(),
        )
    del request.session[SETUP_KEY]
    otp_login(request, device)
    return device


def turn_off(request, code: str) -> bool:
    """Remove the signed-in user's authenticator if ``code`` is a current code from it."""
    device = device_for(request.user)
    if device is None or not device.verify_token(code):
        return False
    # A session this authenticator verified stops counting as verified: django-otp's
    # middleware drops a device that no longer exists.
    TOTPDevice.objects.filter(user=request.user).delete()
    return True


# --- Signing in ------------------------------------------------------------------------

def start_pending(request, user, next_url: str) -> None:
    """The password was right and ``user`` has a second factor: remember who, how
    (the backend that accepted the password) and where to, until the code comes."""
    request.session[PENDING_KEY] = {
        "user": user.pk, "backend": user.backend, "next": next_url, "at": timezone.now().timestamp(),
    }


def pending(request):
    """(user, next URL) of a sign-in waiting for its second factor, or None when there
    is none or it is older than PENDING_MAX_AGE."""
    data = request.session.get(PENDING_KEY)
    if not data or timezone.now().timestamp() - data["at"] > PENDING_MAX_AGE:
        return None
    user = get_user_model().objects.filter(pk=data["user"], is_active=True, is_staff=True).first()
    if user is None or not has_second_factor(user):
        return None
    return user, data["next"]


def complete_pending(request, code: str) -> str | None:
    """Sign the pending user in if ``code`` is a current code from their authenticator
    app (each code works once; wrong ones slow further tries down); returns where to go."""
    found = pending(request)
    device = device_for(found[0]) if found else None
    if device is None:
        return None
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(code):
            return None
    return finish_pending(request, device)


def finish_pending(request, device) -> str:
    """The second factor checked out: sign the pending user in, verified by ``device``
    (theirs: the caller checked), and return where they were going."""
    data = request.session.pop(PENDING_KEY)
    auth_login(request, device.user, backend=data["backend"])
    otp_login(request, device)
    return data["next"]


def cancel_pending(request) -> None:
    request.session.pop(PENDING_KEY, None)

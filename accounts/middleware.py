"""Admin protection that applies to every request: headers on admin pages, idle staff
sessions ended, and two-factor sign-in enforced."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode

from accounts import two_factor

LAST_SEEN_KEY = "accounts_staff_last_seen"
# The session is written at most this often just to note activity (seconds).
LAST_SEEN_RESOLUTION = 60


def is_admin_path(request) -> bool:
    return request.path_info.startswith("/" + settings.ADMIN_URL)


def redirect_to_sign_in(request):
    return redirect(f"{reverse('admin:login')}?{urlencode({'next': request.get_full_path()})}")


class AdminHeadersMiddleware:
    """Every admin response (sign-in, lock-out and two-factor pages too) is kept out of
    search engines by a header, so robots.txt need not name the admin's prefix, and out
    of every cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_admin_path(request):
            response["X-Robots-Tag"] = "noindex, nofollow"
            add_never_cache_headers(response)  # private, no-store, no-cache, ...
        return response


class StaffIdleTimeoutMiddleware:
    """A staff session unused for STAFF_SESSION_IDLE_MINUTES is signed out at its next
    request, which is sent to the admin sign-in with a message. Any request extends it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Without a session cookie there is no one to sign out, and asking who the user is
        # would read the session: the page would vary by cookie and never be cached.
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        if request.user.is_authenticated and request.user.is_staff:
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.STAFF_SESSION_IDLE_MINUTES * 60:
                logout(request)
                messages.info(
                    request,
                    f"You were signed out after {settings.STAFF_SESSION_IDLE_MINUTES} minutes without "
                    "activity. Sign in again to carry on.",
                )
                return redirect_to_sign_in(request)
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)


class AdminTwoFactorMiddleware:
    """In the admin, a staff session must have passed two-factor sign-in when the user
    has a second factor (a session signed in before one was added is signed out), and,
    with OTP_REQUIRED_FOR_STAFF, a user without one may only set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if not (is_admin_path(request) and user.is_authenticated and user.is_staff) or user.is_verified():
            return self.get_response(request)
        if request.path_info in {reverse("admin:logout"), reverse("admin:login"), reverse("accounts:login_code")}:
            return self.get_response(request)
        if two_factor.has_second_factor(user):
            logout(request)
            messages.info(request, "Sign in again with your second factor (a code from your authenticator "
                                   "app, or a passkey).")
            return redirect_to_sign_in(request)
        if settings.OTP_REQUIRED_FOR_STAFF and request.path_info not in setting_up_paths():
            messages.info(request, "Two-factor sign-in is required here: set it up to carry on.")
            return redirect("accounts:two_factor")
        return self.get_response(request)


def setting_up_paths() -> set[str]:
    """Where a staff user without a second factor may go while one is required."""
    return {reverse(name) for name in (
        "accounts:two_factor", "accounts:passkey_add_options", "accounts:passkey_add", "accounts:passkey_jsi18n",
    )}

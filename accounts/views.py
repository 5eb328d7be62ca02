"""The admin's sign-in (password, then a code or a passkey for users with two-factor
sign-in), the page where staff set up and remove their second factors, and the lock-out
page."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import DEVICE_ID_SESSION_KEY

from accounts import passkeys, two_factor
from accounts.forms import CodeForm


def _admin_context(request, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title, "subtitle": None}


class AdminLoginView(LoginView):
    """The admin's own sign-in form and checks; a user with a second factor is not
    signed in by the password alone but sent on to give it (login_code)."""

    authentication_form = AdminAuthenticationForm
    template_name = "admin/login.html"

    def dispatch(self, request, *args, **kwargs):
        if request.method == "GET" and admin.site.has_permission(request):
            return redirect("admin:index")
        return super().dispatch(request, *args, **kwargs)

    def get_default_redirect_url(self):
        return reverse("admin:index")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            **_admin_context(self.request, "Log in"),
            "app_path": self.request.get_full_path(),
            "username": self.request.user.get_username(),
        }

    def form_valid(self, form):
        user = form.get_user()
        if not two_factor.has_second_factor(user):
            return super().form_valid(form)
        two_factor.start_pending(self.request, user, self.get_success_url())
        return redirect("accounts:login_code")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request):
    """Second step of signing in: the current code from the user's authenticator app, or
    one of their passkeys (the page offers what the user has)."""
    found = two_factor.pending(request)
    if found is None:
        messages.info(request, "Sign in with your username and password first.")
        return redirect("admin:login")
    user, _next_url = found
    has_app = two_factor.device_for(user) is not None
    form = CodeForm(request.POST or None)
    if has_app and form.is_valid():
        next_url = two_factor.complete_pending(request, form.cleaned_data["code"])
        if next_url:
            return redirect(next_url)
        form.add_error("code", "That code is not right, or was used already. Wait for the next code in "
                               "your app and enter it (after several wrong codes, each try waits longer).")
    elif not has_app and request.method == "POST":
        form.add_error(None, "This account signs in with a passkey, not a code.")
    return render(request, "accounts/login_code.html", {
        **_admin_context(request, "Second step"), "form": form, "has_app": has_app,
        "has_passkeys": passkeys.passkeys_for(user).exists(),
        "passkeys_here": passkeys.usable_here(request), "passkeys_at": passkeys.where_usable(),
        "passkey_config": {"beginAuthenticationUrl": reverse("accounts:passkey_sign_in_options"),
                           "completeAuthenticationUrl": reverse("accounts:passkey_sign_in"),
                           **_passkey_config(request)},
    }, status=400 if form.errors else 200)


def _passkey_config(request) -> dict:
    """What django-otp-webauthn's scripts read besides the addresses of the ceremony."""
    return {"csrfToken": get_token(request), "autocompleteLoginFieldSelector": None,
            "nextFieldSelector": "input[name='next']", "removeUnknownCredential": False}


def _passkey_json(ceremony):
    """Answer a passkey ceremony's request as JSON: what it returns, or its refusal's
    message (as ``detail``, where the scripts read it) with a 4xx status."""
    try:
        return JsonResponse(ceremony())
    except passkeys.PasskeyError as error:
        return JsonResponse({"detail": error.message}, status=error.status)


@csrf_protect
@never_cache
@require_POST
def passkey_sign_in_options(request):
    return _passkey_json(lambda: passkeys.sign_in_options(request))


@csrf_protect
@never_cache
@require_POST
def passkey_sign_in(request):
    def sign_in():
        next_url = passkeys.sign_in(request, passkeys.answer_from(request))
        return {"id": request.user.otp_device.pk, "redirect_url": next_url}
    return _passkey_json(sign_in)


@require_POST
def passkey_add_options(request):
    return _passkey_json(lambda: passkeys.add_options(request))


@require_POST
def passkey_add(request):
    def add():
        device = passkeys.add(request, passkeys.answer_from(request))
        messages.success(request, f"{device.name} is added: signing in can now ask for it.")
        return {"id": device.pk}
    return _passkey_json(add)


@require_POST
def passkey_remove(request, pk: int):
    if passkeys.remove(request, pk):
        messages.success(request, "The passkey is removed.")
    else:
        messages.error(request, "That passkey was removed already.")
    return redirect("accounts:two_factor")


@sensitive_post_parameters("code")
def two_factor_page(request):
    """Second factors: the user's passkeys (added and removed with passkey_add and
    passkey_remove) and the authenticator app: set up from the secret, its otpauth://
    URI and a QR code, confirmed by the first code from the app; once on, how to turn
    it off."""
    context = _two_factor_context(request)
    device = context["device"]
    form = CodeForm(request.POST or None)
    if device is None and form.is_valid():
        if two_factor.confirm_setup(request, form.cleaned_data["code"]):
            messages.success(request, "The authenticator app is set up: from now on, signing in can ask for "
                                      "a code from your app.")
            return redirect("accounts:two_factor")
        form.add_error("code", "That code does not match. Check that your app shows this account, "
                               "then enter the code it shows now.")
    context["form"] = form if device is None else CodeForm()
    if device is None:
        context.update(two_factor.setup_details(request))
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


def _two_factor_context(request) -> dict:
    return {
        **_admin_context(request, "Two-factor sign-in"),
        "device": two_factor.device_for(request.user),
        "passkeys": passkeys.passkeys_for(request.user),
        "passkeys_here": passkeys.usable_here(request), "passkeys_at": passkeys.where_usable(),
        "signed_in_with": request.session.get(DEVICE_ID_SESSION_KEY),
        "passkey_config": {"beginRegistrationUrl": reverse("accounts:passkey_add_options"),
                           "completeRegistrationUrl": reverse("accounts:passkey_add"),
                           **_passkey_config(request)},
    }


@sensitive_post_parameters("code")
@require_POST
def two_factor_off(request):
    """Turn the authenticator app off, with a current code from it as proof."""
    form = CodeForm(request.POST)
    if form.is_valid() and two_factor.turn_off(request, form.cleaned_data["code"]):
        messages.success(request, "The authenticator app is off: signing in asks for a passkey."
                         if two_factor.has_second_factor(request.user)
                         else "Two-factor sign-in is off: signing in asks for your password only.")
        return redirect("accounts:two_factor")
    if not form.errors:
        form.add_error("code", "That code is not right, or was used already. Enter the code your app "
                               "shows now.")
    return render(request, "accounts/two_factor.html", {**_two_factor_context(request), "form": form}, status=400)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers while a username or address is locked out (429)."""
    minutes = math.ceil(get_cool_off(request).total_seconds() / 60)
    return render(request, "accounts/locked_out.html", {
        **_admin_context(request, "Too many sign-in attempts"), "minutes": minutes,
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
    }, status=429)

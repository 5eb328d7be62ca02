"""The admin's sign-in (password, then a code for users with two-factor sign-in), the
page where staff turn two-factor sign-in on and off, and the lock-out page."""

import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import LoginView
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from accounts import two_factor
from accounts.forms import CodeForm


def _admin_context(request, title: str) -> dict:
    return {**admin.site.each_context(request), "title": title, "subtitle": None}


class AdminLoginView(LoginView):
    """The admin's own sign-in form and checks; a user with an authenticator is not
    signed in by the password alone but sent on to give a code (login_code)."""

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
        if two_factor.device_for(user) is None:
            return super().form_valid(form)
        two_factor.start_pending(self.request, user, self.get_success_url())
        return redirect("accounts:login_code")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def login_code(request):
    """Second step of signing in: the current code from the user's authenticator app."""
    if two_factor.pending(request) is None:
        messages.info(request, "Sign in with your username and password first.")
        return redirect("admin:login")
    form = CodeForm(request.POST or None)
    if form.is_valid():
        next_url = two_factor.complete_pending(request, form.cleaned_data["code"])
        if next_url:
            return redirect(next_url)
        form.add_error("code", "That code is not right, or was used already. Wait for the next code in "
                               "your app and enter it (after several wrong codes, each try waits longer).")
    return render(request, "accounts/login_code.html", {
        **_admin_context(request, "Enter your code"), "form": form,
    }, status=400 if form.errors else 200)


@sensitive_post_parameters("code")
def two_factor_page(request):
    """Turn two-factor sign-in on: the secret, its otpauth:// URI and a QR code, and the
    first code from the app to confirm it. With it on: how to turn it off."""
    device = two_factor.device_for(request.user)
    form = CodeForm(request.POST or None)
    if device is None and form.is_valid():
        if two_factor.confirm_setup(request, form.cleaned_data["code"]):
            messages.success(request, "Two-factor sign-in is on: from now on, signing in asks for a code "
                                      "from your app.")
            return redirect("accounts:two_factor")
        form.add_error("code", "That code does not match. Check that your app shows this account, "
                               "then enter the code it shows now.")
    context = {**_admin_context(request, "Two-factor sign-in"), "device": device,
               "form": form if device is None else CodeForm()}
    if device is None:
        context.update(two_factor.setup_details(request))
    return render(request, "accounts/two_factor.html", context, status=400 if form.errors else 200)


@sensitive_post_parameters("code")
@require_POST
def two_factor_off(request):
    """Turn two-factor sign-in off, with a current code as proof of the authenticator."""
    form = CodeForm(request.POST)
    if form.is_valid() and two_factor.turn_off(request, form.cleaned_data["code"]):
        messages.success(request, "Two-factor sign-in is off: signing in asks for your password only.")
        return redirect("accounts:two_factor")
    if not form.errors:
        form.add_error("code", "That code is not right, or was used already. Enter the code your app "
                               "shows now.")
    return render(request, "accounts/two_factor.html", {
        **_admin_context(request, "Two-factor sign-in"),
        "device": two_factor.device_for(request.user), "form": form,
    }, status=400)


def locked_out(request, original_response=None, credentials=None):
    """What django-axes answers while a username or address is locked out (429)."""
    minutes = math.ceil(get_cool_off(request).total_seconds() / 60)
    return render(request, "accounts/locked_out.html", {
        **_admin_context(request, "Too many sign-in attempts"), "minutes": minutes,
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
    }, status=429)

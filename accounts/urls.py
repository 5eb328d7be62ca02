"""Mounted under the admin's prefix (ADMIN_URL), before the admin's own URLs, so its
login/ replaces the admin's sign-in view."""

from django.contrib import admin
from django.urls import path
from django.views.i18n import JavaScriptCatalog

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.AdminLoginView.as_view(), name="login"),
    path("login/code/", views.login_code, name="login_code"),
    path("two-factor/", admin.site.admin_view(views.two_factor_page), name="two_factor"),
    path("two-factor/off/", admin.site.admin_view(views.two_factor_off), name="two_factor_off"),
    path("login/passkey/options/", views.passkey_sign_in_options, name="passkey_sign_in_options"),
    path("login/passkey/", views.passkey_sign_in, name="passkey_sign_in"),
    path("two-factor/passkeys/options/", admin.site.admin_view(views.passkey_add_options),
         name="passkey_add_options"),
    path("two-factor/passkeys/", admin.site.admin_view(views.passkey_add), name="passkey_add"),
    path("two-factor/passkeys/<int:pk>/remove/", admin.site.admin_view(views.passkey_remove),
         name="passkey_remove"),
    # The words django-otp-webauthn's scripts show (gettext), for the sign-in page too.
    path("passkeys/jsi18n/", JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), name="passkey_jsi18n"),
]

from axes import apps as axes_apps
from django.apps import AppConfig
from django_otp_webauthn import apps as webauthn_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Staff accounts"


class SignInAttemptsConfig(axes_apps.AppConfig):
    """django-axes (INSTALLED_APPS names this class), under a name editors understand
    in the admin's menu."""

    default = False
    verbose_name = "Sign-in attempts"


class PasskeysConfig(webauthn_apps.OtpWebauthnConfig):
    """django-otp-webauthn (INSTALLED_APPS names this class), as "Passkeys" in the admin."""

    default = False
    verbose_name = "Passkeys"

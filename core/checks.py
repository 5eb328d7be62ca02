"""System checks for settings that only go wrong in a deployment."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured
from django.http.request import validate_host

from .site import site_host


@register()
def site_url_is_served(app_configs, **kwargs):
    """SITE_URL's host must be one this site answers to, or every emailed link breaks."""
    host = site_host()
    hostname = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    if not host:
        return [Warning("SITE_URL has no host.", hint="Set SITE_URL to e.g. https://www.example.com",
                        id="core.W001")]
    if not validate_host(hostname, settings.ALLOWED_HOSTS):
        return [Warning(
            f"SITE_URL ({settings.SITE_URL}) points at {hostname}, which is not in ALLOWED_HOSTS: "
            "links in emails, feeds and sitemaps would lead readers to a 400 page.",
            hint="Add the host to ALLOWED_HOSTS, or correct SITE_URL.",
            id="core.W002",
        )]
    return []


SECRET_KEY_MISSING = (
    "SECRET_KEY is not set. Set it (or SECRET_KEY_FILE) in the environment; "
    "make run generates var/secret_key for local use. DEBUG=1 allows a dummy key."
)


def secret_key_is_set() -> bool:
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django refuses to hand out an empty key
        return False


def require_secret_key() -> None:
    """Called where the site starts serving: no key, no site."""
    if not secret_key_is_set():
        raise ImproperlyConfigured(SECRET_KEY_MISSING)


@register(Tags.security, deploy=True)
def secret_key_for_deployment(app_configs, **kwargs):
    return [] if secret_key_is_set() else [Error(SECRET_KEY_MISSING, id="core.E001")]

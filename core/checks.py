"""System checks for settings that only go wrong in a deployment."""

from django.conf import settings
from django.core.checks import Warning, register
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

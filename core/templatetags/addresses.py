from django import template

from core.addresses import shown_address

register = template.Library()


@register.filter
def address(url, part: str = "") -> str:
    """A web address as link text that wraps at sensible places on a narrow screen:
    ``{{ link|address }}`` (without its scheme), or ``{{ partner.website|address:"host" }}``."""
    if not url:
        return ""
    return shown_address(str(url), host_only=part == "host")

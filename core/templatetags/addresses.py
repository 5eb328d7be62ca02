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


@register.filter
def web_link(url) -> str:
    """``url`` when it is a web address (http or https), else nothing: for ``href`` values
    from fields a shell or an import may fill without validation (``update()`` skips the
    URLField's check), where a ``javascript:`` or ``data:`` address would run on click."""
    url = str(url or "")
    scheme = "".join(ch for ch in url if ch > " ").partition(":")[0].lower()
    return url if scheme in {"http", "https"} and ":" in url else ""

from django import template

from core.site import absolute_url

register = template.Library()


@register.filter
def absolute(path: str) -> str:
    """``path`` as an absolute URL on SITE_URL: ``{{ article.get_absolute_url|absolute }}``."""
    return absolute_url(str(path)) if path else ""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from core.site import absolute_url

register = template.Library()

# Inside <script>, "</script>" or "<!--" in a string would end or upset the element:
# these characters are written as JSON escapes, which mean the same to a JSON reader.
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


@register.filter
def absolute(path: str) -> str:
    """``path`` as an absolute URL on SITE_URL: ``{{ article.get_absolute_url|absolute }}``."""
    return absolute_url(str(path)) if path else ""


@register.filter
def json_ld(data) -> str:
    """``data`` as a JSON-LD script element (structured data for search engines), escaped so
    that no text in it can close the element: ``{{ structured_data|json_ld }}``."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text.translate(_SCRIPT_SAFE)))

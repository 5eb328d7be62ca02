from django import template

from core.html import plain_text as html_to_plain_text
from core.html import render_rich_text

register = template.Library()


@register.filter
def rich_text(value) -> str:
    """Stored rich text, sanitized as it is shown: ``{{ author.bio|rich_text }}``.

    Use it for every rich-text field instead of ``|safe``: a row written by
    ``QuerySet.update()``, ``bulk_update()`` or a fixture never went through ``save()``.
    """
    return render_rich_text(str(value) if value is not None else "")


@register.filter
def plain_text(value) -> str:
    """The words of rich text without its markup, for a description:
    ``{{ flatpage.content|plain_text }}`` (escaped like any text)."""
    return html_to_plain_text(str(value) if value is not None else "", max_words=30)

from django import template

from core.html import render_rich_text

register = template.Library()


@register.filter
def rich_text(value) -> str:
    """Stored rich text, sanitized as it is shown: ``{{ author.bio|rich_text }}``.

    Use it for every rich-text field instead of ``|safe``: a row written by
    ``QuerySet.update()``, ``bulk_update()`` or a fixture never went through ``save()``.
    """
    return render_rich_text(str(value) if value is not None else "")

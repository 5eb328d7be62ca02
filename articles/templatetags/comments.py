from django import template
from django.utils.html import linebreaks, urlize
from django.utils.safestring import mark_safe

from articles.models import Comment
from core.addresses import wrappable_link_texts

register = template.Library()

UGC_REL = 'rel="ugc nofollow noopener"'


@register.filter
def comment_html(text: str) -> str:
    """A reader's plain text as HTML: escaped, paragraphs and line breaks kept, links
    made clickable (their text wrapping where an address may break) but marked as
    user-generated."""
    linked = urlize(text, trim_url_limit=60, nofollow=False, autoescape=True)
    linked = wrappable_link_texts(linked.replace("<a href=", f"<a {UGC_REL} href="))
    return mark_safe(linebreaks(linked, autoescape=False))


@register.simple_tag
def pending_comment_count() -> int:
    return Comment.objects.pending().count()

from django import template

from articles.models import Article

register = template.Library()


@register.simple_tag
def due_for_review_count() -> int:
    return Article.objects.due_for_review().count()

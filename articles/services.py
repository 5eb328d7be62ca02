from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def article_publish(*, article: Article) -> Article:
    """Publish ``article`` now, unless it is already public or scheduled for later.

    A draft that sat for a week gets today as its publish date, and its Updated date
    moves with it so it is never earlier than the publish date.
    """
    now = timezone.now()
    if article.status != Article.Status.PUBLISHED and article.publish_at <= now:
        article.publish_at = now
    article.status = Article.Status.PUBLISHED
    article.updated_on = max(article.updated_on, timezone.localdate(article.publish_at))
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article) -> Article:
    """Take ``article`` off the public site; it becomes a draft again."""
    article.status = Article.Status.DRAFT
    article.save()
    return article

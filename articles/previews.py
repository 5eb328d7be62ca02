"""Shared preview links: a signed, expiring address that shows an unpublished article
to someone who is not signed in (a reviewer, the expert quoted, a partner).

The link carries the article's id and its ``preview_key``; changing the key (revoking)
ends every link given out so far. Nothing is stored per link.
"""

from datetime import datetime, timedelta, timezone

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Article, new_preview_key

SALT = "articles.shared-preview"


def max_age() -> timedelta:
    return timedelta(days=settings.PREVIEW_LINK_MAX_AGE_DAYS)


def share_url(article: Article) -> str:
    token = signing.dumps({"a": article.pk, "k": article.preview_key}, salt=SALT, compress=True)
    return reverse("articles:shared_preview", kwargs={"token": token})


def article_for(token: str) -> Article | None:
    """The article a genuine, unexpired, unrevoked link shows; None for any other."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int) or not isinstance(data.get("k"), str):
        return None
    return (
        Article.objects.select_related("category", "author", "reviewer")
        .filter(pk=data["a"], preview_key=data["k"])
        .first()
    )


def revoke(article: Article) -> None:
    """Every link shared so far stops working; the article itself is not saved (no new version)."""
    article.preview_key = new_preview_key()
    Article.objects.filter(pk=article.pk).update(preview_key=article.preview_key)


def expires_at(token: str):
    """When a link that ``article_for`` accepted stops working."""
    signed_at = signing.b62_decode(token.rsplit(":", 2)[-2])
    return datetime.fromtimestamp(signed_at, tz=timezone.utc) + max_age()

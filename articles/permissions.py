"""Who may do what with an article, beyond Django's model permissions.

Writers (``add``/``change`` article, no ``publish``) write their own articles until they
are published: drafts, and articles they submitted for review. Editors (``publish``)
change and publish every article. The admin asks these functions; so do the preview
views and the bulk actions.
"""

from .models import Article


def can_publish(user) -> bool:
    return user.has_perm("articles.publish_article")


def is_own(user, article: Article) -> bool:
    """The writer started it, or it is signed with the author profile tied to them."""
    if article.created_by_id is not None and article.created_by_id == user.pk:
        return True
    author = article.author if article.author_id else None
    return author is not None and author.user_id is not None and author.user_id == user.pk


def can_edit(user, article: Article) -> bool:
    if not user.has_perm("articles.change_article"):
        return False
    if can_publish(user):
        return True
    return article.status != Article.Status.PUBLISHED and is_own(user, article)


def can_preview(user) -> bool:
    return user.is_active and user.is_staff and user.has_perm("articles.view_article")

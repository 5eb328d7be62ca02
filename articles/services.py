from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from core import ratelimit

from .models import Article, ArticleUpdate, BlockedTerm, Comment, TrustedCommenter


def _save(article: Article, *, user, reason: str) -> None:
    article._history_user = user
    article._change_reason = reason
    article.save()


@transaction.atomic
def article_submit(*, article: Article, user=None) -> Article:
    """A writer's draft goes to the editors (category, author and summary are checked by the caller)."""
    article.status = Article.Status.REVIEW
    _save(article, user=user, reason="Submitted for review")
    return article


@transaction.atomic
def article_publish(*, article: Article, user=None) -> Article:
    """Publish ``article`` now, unless it is already public or scheduled for later.

    A draft that sat for a week gets today as its publish date (and, never public
    before, its Updated date follows: ``Article.apply_date_rules``).
    """
    now = timezone.now()
    if article.status != Article.Status.PUBLISHED and not article.has_been_public and article.publish_at <= now:
        article.publish_at = now
    article.status = Article.Status.PUBLISHED
    _save(article, user=user, reason="Scheduled" if article.publish_at > now else "Published")
    return article


@transaction.atomic
def article_unpublish(*, article: Article, user=None) -> Article:
    """Take ``article`` off the public site; it becomes a draft again."""
    article.status = Article.Status.DRAFT
    _save(article, user=user, reason="Moved back to draft")
    return article


def article_record_update(*, article: Article, note: str, user=None) -> ArticleUpdate:
    """A substantive update readers are told about: "Updated:" has moved to today (the
    caller saved that), and the note joins the article's public history."""
    return ArticleUpdate.objects.create(article=article, updated_on=article.updated_on, note=note, created_by=user)


class CommentRefused(Exception):
    """A comment we will not store; ``status`` is the HTTP status the reader gets."""

    def __init__(self, message: str, status: int = 400, *, new_form: bool = False):
        super().__init__(message)
        self.message = message
        self.status = status
        self.new_form = new_form  # the form they sent cannot be sent again


def comment_is_blocked(*, email: str, ip_address: str, body: str, name: str) -> bool:
    terms = BlockedTerm.objects.values_list("kind", "value")
    text = f"{name}\n{body}".lower()
    for kind, value in terms:
        if kind == BlockedTerm.Kind.EMAIL and email.lower() == value:
            return True
        if kind == BlockedTerm.Kind.IP and ip_address == value:
            return True
        if kind == BlockedTerm.Kind.WORD and value in text:
            return True
    return False


@transaction.atomic
def comment_submit(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    parent_id: int | None = None,
    ip_address: str = "",
    user_agent: str = "",
    form_nonce: str | None = None,
    trusted: bool = False,
) -> Comment:
    """Store a reader's comment.

    It is published at once only when ``trusted`` (``articles.commenters.skips_moderation``:
    staff, or a browser that proved a trusted address); otherwise it waits for moderation.
    When it names an address editors trust, that address is sent a link that publishes it
    (articles.commenters). Editors who asked (COMMENT_NOTIFY_EMAILS) are emailed about
    comments that wait. ``form_nonce`` is the form's one-time number: a second comment
    with it is refused.
    """
    if not (article.is_public and article.comments_are_open):
        raise CommentRefused("Comments are closed on this article.")
    if comment_is_blocked(email=email, ip_address=ip_address, body=body, name=name):
        raise CommentRefused("Your comment could not be accepted.")
    parent = None
    if parent_id:
        parent = Comment.objects.approved().filter(article=article, pk=parent_id).first()
        if parent is None:
            raise CommentRefused("The comment you replied to is no longer available.")
        if parent.parent_id:  # replies nest one level: answer the thread's first comment
            parent = parent.parent
    try:
        with transaction.atomic():
            comment = Comment.objects.create(
                article=article,
                parent=parent,
                name=name,
                email=email,
                body=body,
                status=Comment.Status.APPROVED if trusted else Comment.Status.PENDING,
                ip_address=ip_address or None,
                user_agent=user_agent[:300],
                form_nonce=form_nonce or None,
            )
    except IntegrityError:
        if form_nonce and Comment.objects.filter(form_nonce=form_nonce).exists():
            raise CommentRefused(
                "This form has been sent already. If you meant to send another comment, "
                "check it and send it again.",
                new_form=True,
            ) from None
        raise
    if comment.status == Comment.Status.PENDING:
        _after_pending_comment(comment)
    return comment


def _after_pending_comment(comment: Comment) -> None:
    from .tasks import notify_moderators, send_publish_link

    # robust: the comment is stored; a queue that fails now is logged, never a 500.
    if settings.COMMENT_NOTIFY_EMAILS:
        transaction.on_commit(lambda: notify_moderators.enqueue(comment_id=comment.pk), robust=True)
    # A few links a day per address at most: a stranger typing a regular's address
    # cannot fill their inbox.
    if TrustedCommenter.objects.has_email(comment.email) and ratelimit.allow(
        "comment-publish-link", TrustedCommenter.normalize_email(comment.email),
        limit=settings.COMMENT_PUBLISH_LINKS_PER_DAY, window=24 * 3600,
    ):
        transaction.on_commit(lambda: send_publish_link.enqueue(comment_id=comment.pk), robust=True)


@transaction.atomic
def comment_publish_by_link(*, comment: Comment) -> bool:
    """Its writer followed the link we emailed: publish the comment if it still waits
    (an editor may have moderated it meanwhile). Returns whether it was published."""
    return bool(Comment.objects.pending().filter(pk=comment.pk).update(status=Comment.Status.APPROVED))


def commenters_trust(*, emails, user=None) -> int:
    """Editors trust these addresses; returns how many were not trusted before."""
    addresses = {TrustedCommenter.normalize_email(email) for email in emails if email}
    known = set(TrustedCommenter.objects.filter(email__in=addresses).values_list("email", flat=True))
    TrustedCommenter.objects.bulk_create(
        [TrustedCommenter(email=email, added_by=user) for email in sorted(addresses - known)],
        ignore_conflicts=True,
    )
    return len(addresses - known)


def comments_moderate(*, comments, status: str) -> int:
    """Set the moderation status of ``comments`` (a queryset); returns how many changed."""
    return comments.exclude(status=status).update(status=status)

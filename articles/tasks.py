import datetime
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from core.site import absolute_url
from core.text import single_line

from .models import Comment

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


def _send_or_retry(retry, *, what: str, attempt: int, **message) -> None:
    """Send one email; when the mail server is down or refuses, queue ``retry`` again with
    a growing delay (1, 2, 4 … minutes), as the newsletter's confirmation email does."""
    try:
        send_mail(from_email=None, **message)
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        if attempt >= MAX_ATTEMPTS:
            logger.error("Giving up on %s: %s", what, error)
            return
        delay = datetime.timedelta(minutes=2 ** (attempt - 1))
        logger.warning("%s failed (%s); retrying in %s", what, error, delay)
        retry(run_after=timezone.now() + delay, attempt=attempt + 1)


@task()
def notify_moderators(*, comment_id: int, attempt: int = 1) -> None:
    """Tell the editors in COMMENT_NOTIFY_EMAILS that a comment waits for moderation."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return
    admin_url = absolute_url(reverse("admin:articles_comment_change", args=[comment.pk]))
    title = single_line(comment.article.title, max_length=120)
    _send_or_retry(
        lambda run_after, attempt: notify_moderators.using(run_after=run_after).enqueue(
            comment_id=comment_id, attempt=attempt),
        what=f"the moderation email for comment {comment_id}", attempt=attempt,
        subject=single_line(f"[{settings.SITE_NAME}] New comment to moderate on “{title}”"),
        message=(
            f"{comment.name} wrote:\n\n{comment.body}\n\n"
            f"Approve, mark as spam or remove it here:\n{admin_url}\n"
        ),
        recipient_list=settings.COMMENT_NOTIFY_EMAILS,
    )


@task()
def send_publish_link(*, comment_id: int, attempt: int = 1) -> None:
    """Send the trusted address a comment names the link that publishes it
    (articles.commenters): only whoever reads that mailbox can follow it."""
    from .commenters import publish_link_token

    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return
    link = absolute_url(reverse("articles:comment_publish", args=[publish_link_token(comment)]))
    title = single_line(comment.article.title, max_length=120)
    days = max(1, settings.COMMENT_PUBLISH_LINK_MAX_AGE // (24 * 3600))
    _send_or_retry(
        lambda run_after, attempt: send_publish_link.using(run_after=run_after).enqueue(
            comment_id=comment_id, attempt=attempt),
        what=f"the publish link for comment {comment_id}", attempt=attempt,
        subject=single_line(f"Publish your comment on “{title}”"),
        message=(
            f"Someone, we hope you, left a comment on “{title}” at {settings.SITE_NAME} "
            f"and signed it with this address:\n\n{comment.body}\n\n"
            f"If it was you, this link publishes it at once (it works for {days} days), and "
            f"your next comments from the same browser appear without waiting:\n{link}\n\n"
            "If it was not you, ignore this email: the comment waits for our editors, "
            "who will not publish it in your name.\n"
        ),
        recipient_list=[comment.email],
    )

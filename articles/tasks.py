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


@task()
def notify_moderators(*, comment_id: int, attempt: int = 1) -> None:
    """Tell the editors in COMMENT_NOTIFY_EMAILS that a comment waits for moderation.
    When the mail server is down or refuses, try again later with a growing delay
    (1, 2, 4 … minutes), as the newsletter's confirmation email does."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return
    admin_url = absolute_url(reverse("admin:articles_comment_change", args=[comment.pk]))
    title = single_line(comment.article.title, max_length=120)
    try:
        send_mail(
            subject=single_line(f"[{settings.SITE_NAME}] New comment to moderate on “{title}”"),
            message=(
                f"{comment.name} wrote:\n\n{comment.body}\n\n"
                f"Approve, mark as spam or remove it here:\n{admin_url}\n"
            ),
            from_email=None,
            recipient_list=settings.COMMENT_NOTIFY_EMAILS,
        )
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        if attempt >= MAX_ATTEMPTS:
            logger.error("Giving up on telling moderators about comment %s: %s", comment_id, error)
            return
        delay = datetime.timedelta(minutes=2 ** (attempt - 1))
        logger.warning("Moderation email for comment %s failed (%s); retrying in %s",
                       comment_id, error, delay)
        notify_moderators.using(run_after=timezone.now() + delay).enqueue(
            comment_id=comment_id, attempt=attempt + 1
        )

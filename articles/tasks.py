from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django_tasks import task

from core.site import absolute_url

from .models import Comment


@task()
def notify_moderators(*, comment_id: int) -> None:
    """Tell the editors in COMMENT_NOTIFY_EMAILS that a comment waits for moderation."""
    comment = Comment.objects.select_related("article").filter(pk=comment_id).first()
    if comment is None or comment.status != Comment.Status.PENDING:
        return
    admin_url = absolute_url(reverse("admin:articles_comment_change", args=[comment.pk]))
    send_mail(
        subject=f"[{settings.SITE_NAME}] New comment to moderate on “{comment.article.title}”",
        message=(
            f"{comment.name} wrote:\n\n{comment.body}\n\n"
            f"Approve, mark as spam or remove it here:\n{admin_url}\n"
        ),
        from_email=None,
        recipient_list=settings.COMMENT_NOTIFY_EMAILS,
    )

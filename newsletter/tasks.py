import datetime
import logging

from django.utils import timezone
from django_tasks import task

from . import emails, services
from .models import Subscriber

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@task()
def signup_follow_up(*, email: str, signup_form: str) -> None:
    """The part of a signup that depends on who the address is (services.signup_received),
    done here so the signup request takes the same time for everyone."""
    services.signup_received(email=email, signup_form=signup_form)


@task()
def send_confirmation(*, subscriber_id: int, attempt: int = 1) -> None:
    """Email a confirmation link. When the mail server is down or refuses, try again
    later with a growing delay (1, 2, 4 … minutes), so the signup itself never fails."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id, status=Subscriber.Status.PENDING).first()
    if subscriber is None:
        return
    try:
        emails.confirmation_message(subscriber).send()
    except OSError as error:  # smtplib's errors are OSErrors, as are refused connections
        if not send_confirmation.get_backend().supports_defer:
            # Nothing can wait for later (the immediate backend): the reader's next
            # signup sends a new confirmation.
            logger.error("Confirmation email to subscriber %s failed: %s", subscriber_id, error)
            return
        if attempt >= MAX_ATTEMPTS:
            logger.error("Giving up on the confirmation email to subscriber %s: %s", subscriber_id, error)
            return
        delay = datetime.timedelta(minutes=2 ** (attempt - 1))
        logger.warning("Confirmation email to subscriber %s failed (%s); retrying in %s",
                       subscriber_id, error, delay)
        send_confirmation.using(run_after=timezone.now() + delay).enqueue(
            subscriber_id=subscriber_id, attempt=attempt + 1
        )
        return
    Subscriber.objects.filter(pk=subscriber_id).update(confirmation_sent_at=timezone.now())


@task()
def send_daily_digest() -> int:
    """The daily job: build today's digest of new articles (if any) and send it."""
    digest = services.digest_prepare()
    if digest is None:
        return 0
    try:
        return services.digest_send(digest=digest)
    except services.DigestBusy as busy:
        logger.info("%s", busy)
        return 0

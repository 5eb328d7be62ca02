"""The newsletter's rules: signing up, confirming, leaving, and sending the digest."""

import datetime
import logging
import smtplib
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article
from core import ratelimit

from . import emails
from .models import Delivery, Digest, Subscriber

logger = logging.getLogger(__name__)

# --- Signing up, confirming, leaving --------------------------------------------------

def subscriber_signup(*, email: str, ip_address: str, signup_form: str) -> Subscriber:
    """Record a signup and, when the address should get one, queue a confirmation email.

    The caller shows the same answer whatever happened here, so the form reveals
    nothing about who subscribes. Safe under concurrency: one address is one row.
    """
    email = Subscriber.normalize_email(email)
    try:
        with transaction.atomic():
            subscriber, _ = Subscriber.objects.get_or_create(
                email=email, defaults={"signup_form": signup_form, "consent_ip": ip_address or None}
            )
    except IntegrityError:  # another request created it between our read and write
        subscriber = Subscriber.objects.get(email=email)
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        # Coming back needs a new double opt-in.
        Subscriber.objects.filter(pk=subscriber.pk).update(
            status=Subscriber.Status.PENDING, signup_form=signup_form
        )
        subscriber.status = Subscriber.Status.PENDING
    if subscriber.status == Subscriber.Status.PENDING:
        confirmation_request(subscriber=subscriber)
    return subscriber


def confirmation_request(*, subscriber: Subscriber) -> bool:
    """Queue a confirmation email unless this address had its share today (anti mail-bomb)."""
    if subscriber.status != Subscriber.Status.PENDING:
        return False
    if not ratelimit.allow("newsletter-email", subscriber.email,
                           limit=settings.NEWSLETTER_EMAIL_RATE_LIMIT, window=24 * 3600):
        return False
    from .tasks import send_confirmation

    transaction.on_commit(lambda: send_confirmation.enqueue(subscriber_id=subscriber.pk))
    return True


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber, ip_address: str) -> Subscriber:
    """Make a pending subscriber active and keep the consent record."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Subscriber.Status.PENDING:
        now = timezone.now()
        subscriber.status = Subscriber.Status.ACTIVE
        subscriber.confirmed_at = now
        subscriber.consent_at = now
        subscriber.consent_ip = ip_address or None
        subscriber.consent_text_version = settings.NEWSLETTER_CONSENT_VERSION
        subscriber.unsubscribed_at = None
        subscriber.save()
    return subscriber


def subscriber_unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop all mail to ``subscriber`` at once (bounced and complained stay as they are)."""
    if subscriber.status in (Subscriber.Status.ACTIVE, Subscriber.Status.PENDING):
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    return subscriber


def subscribers_mark_undeliverable(*, emails: list[str], status: str = Subscriber.Status.BOUNCED) -> int:
    """Hard bounces and complaints: never mail these addresses again."""
    normalized = {Subscriber.normalize_email(e) for e in emails if e.strip()}
    return Subscriber.objects.filter(email__in=normalized).exclude(status=status).update(status=status)


# --- The daily digest ---------------------------------------------------------------

def digest_prepare(*, day: datetime.date | None = None) -> Digest | None:
    """The digest for ``day`` (today by default): the articles published since the last
    digest. None when there is nothing new. Calling it again returns the same digest."""
    day = day or timezone.localdate()
    existing = Digest.objects.filter(day=day).first()
    if existing:
        return existing
    last = Digest.objects.order_by("-covers_until").first()
    until = timezone.now()
    articles = Article.objects.published().filter(publish_at__lte=until)
    if last:
        articles = articles.filter(publish_at__gt=last.covers_until)
    else:
        articles = articles.filter(publish_at__gt=until - datetime.timedelta(days=1))
    articles = list(articles.order_by("-publish_at")[:30])
    if not articles:
        return None
    subject = f"{settings.SITE_NAME} today: {articles[0].title}"
    if len(articles) > 1:
        subject += f" and {len(articles) - 1} more"
    with transaction.atomic():
        digest, created = Digest.objects.get_or_create(
            day=day, defaults={"subject": subject[:200], "covers_until": until}
        )
        if created:
            digest.articles.set(articles)
    return digest


def digest_recipients(digest: Digest, *, batch_size: int) -> Iterator[list[Subscriber]]:
    """Active subscribers who have not had ``digest`` yet, in batches by id (flat memory)."""
    last_pk = 0
    while True:
        batch = list(
            Subscriber.objects.active()
            .filter(pk__gt=last_pk)
            .exclude(deliveries__digest=digest)
            .order_by("pk")
            .only("pk", "email")[:batch_size]
        )
        if not batch:
            return
        yield batch
        last_pk = batch[-1].pk


def digest_send(
    *,
    digest: Digest,
    batch_size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Send ``digest`` to every active subscriber who has not had it; returns how many.

    Each message is handed to the mail server, then its Delivery row is written, so a
    run that is killed and started again sends the rest and nobody twice (at worst the
    one message in flight at the moment of the kill). One SMTP connection per batch.
    An address the server refuses is skipped (no Delivery row: the next run tries it
    again); other SMTP errors propagate: the run stops and can be resumed.
    """
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    Digest.objects.filter(pk=digest.pk, state=Digest.State.READY).update(state=Digest.State.SENDING)
    rendered = emails.DigestRenderer(digest)
    sent = 0
    for batch in digest_recipients(digest, batch_size=batch_size):
        with get_connection() as connection:
            for subscriber in batch:
                try:
                    rendered.message(subscriber, connection=connection).send()
                except smtplib.SMTPRecipientsRefused as error:
                    # One unknown address or full mailbox must not stop the digest for
                    # everyone after it, on this run and on every resumed one.
                    logger.warning("Digest %s: the mail server refused %s: %s", digest.pk, subscriber.email,
                                   error.recipients)
                else:
                    Delivery.objects.create(digest=digest, subscriber=subscriber)
                    sent += 1
                if progress:
                    progress(1)
    Digest.objects.filter(pk=digest.pk).update(state=Digest.State.SENT, sent_at=timezone.now())
    return sent

"""The newsletter's rules: signing up, confirming, leaving, and sending the digest."""

import contextlib
import datetime
import logging
import os
import smtplib
import socket
import uuid
from collections.abc import Callable, Iterator

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Article
from core import ratelimit

from . import emails
from .models import Delivery, Digest, Subscriber

logger = logging.getLogger(__name__)

# --- Signing up, confirming, leaving --------------------------------------------------

def subscriber_signup(*, email: str, ip_address: str, signup_form: str) -> None:
    """Record a signup; what it means for the address is decided by a background task.

    The request does the same work for every address, new, waiting, subscribed or gone
    (one insert that a known address ignores, and one queued task), so neither the
    answer nor its timing says who subscribes. Safe under concurrency: one address is
    one row, whoever inserts first.
    """
    from .tasks import signup_follow_up

    email = Subscriber.normalize_email(email)
    # One transaction: the database queue stores the task with the row, so a worker killed
    # or a lock timed out in between cannot leave a signup that never gets its email.
    with transaction.atomic():
        Subscriber.objects.bulk_create(
            [Subscriber(email=email, signup_form=signup_form, consent_ip=ip_address or None)], ignore_conflicts=True
        )
        signup_follow_up.enqueue(email=email, signup_form=signup_form)


def signup_received(*, email: str, signup_form: str) -> Subscriber | None:
    """After a signup: someone who left needs a new double opt-in, and whoever waits to
    confirm gets a confirmation email (at most a few a day per address)."""
    subscriber = Subscriber.objects.with_email(email).first()
    if subscriber is None:  # deleted by an editor meanwhile
        return None
    if subscriber.status == Subscriber.Status.UNSUBSCRIBED:
        Subscriber.objects.filter(pk=subscriber.pk, status=Subscriber.Status.UNSUBSCRIBED).update(
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


class AlreadySubscribed(Exception):
    """The subscriber confirmed before (the link is being used again): nothing changes."""

    def __init__(self, subscriber: Subscriber):
        self.subscriber = subscriber
        super().__init__(f"{subscriber.email} is subscribed already.")


class ConfirmationRefused(Exception):
    """The subscriber left the list, bounced or complained: an old confirmation link does
    not bring them back: leaving must stick. ``subscriber.status`` says why."""

    def __init__(self, subscriber: Subscriber):
        self.subscriber = subscriber
        super().__init__(f"{subscriber.email} is {subscriber.status}: an old confirmation link does not subscribe it.")


def confirmation_check(*, subscriber: Subscriber) -> None:
    """Raise AlreadySubscribed or ConfirmationRefused unless ``subscriber`` is waiting to confirm."""
    if subscriber.status == Subscriber.Status.ACTIVE:
        raise AlreadySubscribed(subscriber)
    if subscriber.status != Subscriber.Status.PENDING:
        raise ConfirmationRefused(subscriber)


@transaction.atomic
def subscriber_confirm(*, subscriber: Subscriber, ip_address: str) -> Subscriber:
    """Make a pending subscriber active and keep the consent record.

    Anyone else is left exactly as they are, confirmed time and consent record included:
    AlreadySubscribed or ConfirmationRefused says why. Decided under the row's lock, so a
    double click confirms once. Subscriber.DoesNotExist: the row was deleted meanwhile.
    """
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    confirmation_check(subscriber=subscriber)
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

# How long a run's claim on a digest lasts without being renewed. A run renews it while
# it sends; one that was killed (or stalled) loses it when it runs out.
DIGEST_CLAIM = datetime.timedelta(minutes=2)


class DigestBusy(Exception):
    """Another run is sending this digest; the message says which one, and until when."""


class DigestClaimLost(DigestBusy):
    """This run stalled past its claim, and another run may have taken the digest over."""


def _holder(digest: Digest) -> tuple[str, datetime.datetime | None]:
    return Digest.objects.filter(pk=digest.pk).values_list("claimed_by", "claimed_until").first() or ("", None)


def _run_id() -> str:
    """Names this run in a claim: host, process id and a random part (two runs in one process differ)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _run_is_gone(owner: str) -> bool:
    """True when ``owner`` was a process on this machine that no longer exists.

    Lets a run started right after a killed one resume at once instead of waiting for
    the claim to run out. A run on another machine, or a process id taken again by
    another process, counts as alive: that only means waiting.
    """
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists but belongs to someone else
        return False
    return False


class DigestClaim:
    """This run's claim on a digest; ``keep()`` renews it while sending goes on."""

    def __init__(self, digest: Digest, owner: str):
        self.digest, self.owner = digest, owner
        self.renewed_at = timezone.now()

    def keep(self) -> None:
        """Renew the claim once a third of it has passed; raise DigestClaimLost if another run has it."""
        now = timezone.now()
        if now - self.renewed_at < DIGEST_CLAIM / 3:
            return
        renewed = Digest.objects.filter(pk=self.digest.pk, claimed_by=self.owner).update(
            claimed_until=now + DIGEST_CLAIM
        )
        if not renewed:
            owner, _ = _holder(self.digest)
            raise DigestClaimLost(
                f"This run stalled for longer than its claim on the digest for {self.digest.day}, and another "
                f"run ({owner or 'none yet'}) may have taken it over: it stopped. Run send_digest again to "
                "send whatever is left; nobody gets it twice."
            )
        self.renewed_at = now

    def release(self) -> None:
        Digest.objects.filter(pk=self.digest.pk, claimed_by=self.owner).update(claimed_by="", claimed_until=None)


@contextlib.contextmanager
def digest_claimed(*, digest: Digest) -> Iterator[DigestClaim]:
    """Hold the right to send ``digest`` for the length of the ``with`` block, or raise
    DigestBusy when another live run holds it.

    The claim is one conditional UPDATE on the digest's row, so the database decides
    between runs started together (on SQLite and PostgreSQL alike, across machines). It
    is taken when nobody holds it, when it has run out, or when its holder was a process
    on this machine that has died; it is given back when the block ends, whatever the
    outcome, so the next run can resume at once.
    """
    owner = _run_id()
    now = timezone.now()
    free = Q(claimed_by="") | Q(claimed_until__lt=now)
    holder, _ = _holder(digest)
    if holder and _run_is_gone(holder):
        free |= Q(claimed_by=holder)
    taken = Digest.objects.filter(free, pk=digest.pk).update(claimed_by=owner, claimed_until=now + DIGEST_CLAIM)
    if not taken:
        holder, until = _holder(digest)
        until_text = f"{timezone.localtime(until):%H:%M:%S}" if until else "once it ends"
        raise DigestBusy(
            f"Another send_digest run ({holder}) is sending the digest for {digest.day}: nothing to do here. "
            f"If that run was stopped, its claim runs out at {until_text}; run send_digest again after that."
        )
    claim = DigestClaim(digest, owner)
    try:
        yield claim
    finally:
        claim.release()


def digest_prepare(*, day: datetime.date | None = None) -> Digest | None:
    """The digest for ``day`` (today by default): the articles published since the last
    digest. None when there is nothing new. Calling it again returns the same digest,
    also when another run creates it at the same moment."""
    day = day or timezone.localdate()
    existing = Digest.objects.filter(day=day).first()
    if existing:
        return existing
    # The day's own digest is never its baseline: a run that starts while another one has
    # just created it must still find these articles, and then that same digest.
    last = Digest.objects.exclude(day=day).order_by("-covers_until").first()
    until = timezone.now()
    articles = Article.objects.published().filter(publish_at__lte=until)
    if last:
        articles = articles.filter(publish_at__gt=last.covers_until)
    else:
        articles = articles.filter(publish_at__gt=until - datetime.timedelta(days=1))
    articles = list(articles.order_by("-publish_at")[:30])
    if not articles:
        return None
    # Two runs preparing at once: the unique day makes one insert fail, and get_or_create
    # then returns the row the other run committed.
    with transaction.atomic():
        digest, created = Digest.objects.get_or_create(
            day=day, defaults={"subject": emails.digest_subject(articles), "covers_until": until}
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
    claim: DigestClaim | None = None,
) -> int:
    """Send ``digest`` to every active subscriber who has not had it; returns how many.

    Only one run sends a digest at a time: it takes the digest's claim (or uses the
    ``claim`` the caller holds) and raises DigestBusy when another run has it.

    Each message is handed to the mail server, then its Delivery row is written, so a
    run that is killed and started again sends the rest and nobody twice (at worst the
    one message in flight at the moment of the kill). One SMTP connection per batch.
    An address the server refuses is skipped (no Delivery row: the next run tries it
    again); other SMTP errors propagate: the run stops and can be resumed.

    Only the digest's articles that are public at the time are mailed, checked again
    for every batch, and the subject is made from them; with none left, nothing is sent.
    """
    if claim is None:
        with digest_claimed(digest=digest) as own_claim:
            return digest_send(digest=digest, batch_size=batch_size, progress=progress, claim=own_claim)
    batch_size = batch_size or settings.NEWSLETTER_BATCH_SIZE
    rendered = None
    sent = 0
    for batch in digest_recipients(digest, batch_size=batch_size):
        articles = list(digest.public_articles())
        if not articles:
            logger.warning("Digest %s: none of its articles is public any more; nothing more is sent.", digest.pk)
            return sent
        if rendered is None or rendered.article_ids != [a.pk for a in articles]:
            rendered = emails.DigestRenderer(digest, articles=articles)
            Digest.objects.filter(pk=digest.pk).update(subject=rendered.subject)
            Digest.objects.filter(pk=digest.pk, state=Digest.State.READY).update(state=Digest.State.SENDING)
        with get_connection() as connection:
            for subscriber in batch:
                claim.keep()
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
    if rendered is not None or digest.public_articles().exists():
        Digest.objects.filter(pk=digest.pk).update(state=Digest.State.SENT, sent_at=timezone.now())
    return sent

import secrets

from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class SubscriberQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Subscriber.Status.ACTIVE)

    def with_email(self, email: str):
        return self.filter(email=Subscriber.normalize_email(email))


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Waiting for confirmation"
    ACTIVE = "active", "Active"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    BOUNCED = "bounced", "Bounced"
    COMPLAINED = "complained", "Marked as spam"


def new_unsubscribe_key() -> str:
    return secrets.token_urlsafe(24)


class Subscriber(models.Model):
    Status = SubscriberStatus  # defined outside, so Meta's CheckConstraint can read its values

    # Stored lower-cased and stripped (normalize_email), so one address is one row.
    email = models.EmailField(unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created = models.DateTimeField(default=timezone.now, db_index=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    # The consent record: when, from where, to which wording, on which form.
    consent_at = models.DateTimeField(null=True, blank=True)
    consent_ip = models.GenericIPAddressField("consent IP address", null=True, blank=True)
    consent_text_version = models.CharField(max_length=20, blank=True)
    signup_form = models.CharField(max_length=40, blank=True, help_text="Where the reader signed up.")
    # What the unsubscribe link names instead of the row's (sequential, guessable) id.
    unsubscribe_key = models.CharField(max_length=32, unique=True, default=new_unsubscribe_key, editable=False)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="subscriber_email_case_insensitive"),
            models.CheckConstraint(
                condition=models.Q(status__in=SubscriberStatus.values),
                name="subscriber_status_is_known",
            ),
        ]

    def __str__(self):
        return self.email

    @staticmethod
    def normalize_email(email: str) -> str:
        return email.strip().lower()


class DigestQuerySet(models.QuerySet):
    def latest_sent(self):
        return self.filter(state=Digest.State.SENT).order_by("-covers_until").first()


class Digest(models.Model):
    """One day's email of new articles, and the ledger of who it went to."""

    class State(models.TextChoices):
        READY = "ready", "Ready to send"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    day = models.DateField(unique=True)
    subject = models.CharField(
        max_length=200, help_text="Written when the digest is sent, from the articles in it that are public then."
    )
    articles = models.ManyToManyField("articles.Article", related_name="digests")
    covers_until = models.DateTimeField(help_text="Articles published up to this moment are in it.")
    state = models.CharField(max_length=8, choices=State.choices, default=State.READY)
    created = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The claim of the run that is sending it: one run at a time, and a run that died
    # leaves a claim that runs out (see services.digest_claimed).
    claimed_by = models.CharField(max_length=200, blank=True, editable=False)
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)

    objects = DigestQuerySet.as_manager()

    class Meta:
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d}: {self.subject}"

    def get_absolute_url(self):
        return reverse("admin:newsletter_digest_preview", args=[self.pk])

    def public_articles(self):
        """The articles in it that readers may see now, newest first: only these are mailed."""
        return self.articles.published().select_related("category", "author").order_by("-publish_at")


class Delivery(models.Model):
    """One row per (digest, subscriber), written when the mail server accepted the message.

    The unique constraint is what makes sending idempotent: a resumed run skips
    everyone who already has a row.
    """

    digest = models.ForeignKey(Digest, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["digest", "subscriber"], name="one_delivery_per_subscriber")
        ]

    def __str__(self):
        return f"{self.digest_id} → {self.subscriber_id}"

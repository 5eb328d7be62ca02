"""Signed links: confirming and unsubscribing need no token table."""

from django.conf import settings
from django.core import signing

from .models import Subscriber

CONFIRM_SALT = "newsletter.confirm"
UNSUBSCRIBE_SALT = "newsletter.unsubscribe"


def confirmation_token(subscriber: Subscriber) -> str:
    return signing.dumps({"e": subscriber.email}, salt=CONFIRM_SALT)


def subscriber_from_confirmation(token: str) -> Subscriber | None:
    """The subscriber a confirmation link is for, or None for a link we did not sign.

    Raises SignatureExpired when the link is too old, and Subscriber.DoesNotExist when it
    is ours but its address is no longer on the list (the row was deleted).
    """
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=settings.NEWSLETTER_CONFIRM_MAX_AGE)
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    return Subscriber.objects.with_email(data.get("e", "")).get()


def unsubscribe_token(subscriber: Subscriber) -> str:
    # Never expires: an unsubscribe link in a year-old email must still work. It names the
    # subscriber's random key, so it says nothing about how many subscribers there are.
    return signing.dumps({"k": subscriber.unsubscribe_key}, salt=UNSUBSCRIBE_SALT)


def subscriber_from_unsubscribe(token: str) -> Subscriber | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if isinstance(data, dict) and isinstance(data.get("k"), str):
        return Subscriber.objects.filter(unsubscribe_key=data["k"]).first()
    # Links in emails sent before keys (a signed row id) keep working: we signed them.
    return Subscriber.objects.filter(pk=data).first() if isinstance(data, int) and not isinstance(data, bool) else None

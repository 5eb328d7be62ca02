"""The newsletter's emails, rendered from templates with a plain-text and an HTML part."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from core.site import absolute_url

from . import tokens
from .models import Digest, Subscriber


def unsubscribe_headers(subscriber: Subscriber) -> tuple[str, dict]:
    """The personal unsubscribe link, and the RFC 2369 / RFC 8058 headers that carry it."""
    token = tokens.unsubscribe_token(subscriber)
    url = absolute_url(reverse("newsletter:unsubscribe", args=[token]))
    mailto = f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILTO}?subject=unsubscribe%20{token}"
    return url, {
        "List-Unsubscribe": f"<{url}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def build(*, subject: str, template: str, context: dict, to: str, headers: dict | None = None,
          connection=None) -> EmailMultiAlternatives:
    context = {"site_name": settings.SITE_NAME, "home_url": absolute_url("/"), **context}
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{template}.txt", context),
        to=[to],
        headers=headers or {},
        connection=connection,
    )
    message.attach_alternative(render_to_string(f"emails/{template}.html", context), "text/html")
    return message


def confirmation_message(subscriber: Subscriber) -> EmailMultiAlternatives:
    token = tokens.confirmation_token(subscriber)
    unsubscribe_url, headers = unsubscribe_headers(subscriber)
    return build(
        subject=f"Confirm your subscription to {settings.SITE_NAME}",
        template="newsletter_confirm",
        context={
            "confirm_url": absolute_url(reverse("newsletter:confirm", args=[token])),
            "days": settings.NEWSLETTER_CONFIRM_MAX_AGE // 86400,
            "unsubscribe_url": unsubscribe_url,
        },
        to=subscriber.email,
        headers=headers,
    )


class DigestRenderer:
    """Renders a digest's articles once; each message then only adds its own links."""

    def __init__(self, digest: Digest):
        self.digest = digest
        self.articles = [
            {"title": a.title, "summary": a.summary, "url": absolute_url(a.get_absolute_url()),
             "category": a.category.name, "author": a.author.name}
            for a in digest.articles.select_related("category", "author").order_by("-publish_at")
        ]

    def message(self, subscriber: Subscriber, *, connection=None) -> EmailMultiAlternatives:
        unsubscribe_url, headers = unsubscribe_headers(subscriber)
        return build(
            subject=self.digest.subject,
            template="newsletter_digest",
            context={"digest": self.digest, "articles": self.articles, "unsubscribe_url": unsubscribe_url},
            to=subscriber.email,
            headers=headers,
            connection=connection,
        )

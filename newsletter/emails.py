"""The newsletter's emails, rendered from templates with a plain-text and an HTML part."""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from core.site import absolute_url, site_domain
from core.text import single_line

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


def digest_list_id() -> str:
    """The digest's RFC 2919 List-Id: the site's name as its phrase and an identifier made
    from SITE_URL's domain ("WiseGeek <digest.www.example.com>"), the same in every
    message, so mail programs can file and filter the digest as one list."""
    return formataddr((single_line(settings.SITE_NAME), f"digest.{site_domain()}"))


def build(*, subject: str, template: str, context: dict, to: str, headers: dict | None = None,
          connection=None) -> EmailMultiAlternatives:
    context = {"site_name": settings.SITE_NAME, "home_url": absolute_url("/"), **context}
    message = EmailMultiAlternatives(
        subject=single_line(subject),
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


def digest_subject(articles: list) -> str:
    """The subject of a digest carrying ``articles`` (newest first), on one line whatever
    the titles hold."""
    if not articles:
        return f"{settings.SITE_NAME} today"
    subject = f"{settings.SITE_NAME} today: {single_line(articles[0].title)}"
    if len(articles) > 1:
        subject += f" and {len(articles) - 1} more"
    return single_line(subject, max_length=200)


class DigestRenderer:
    """Renders a digest's articles once; each message then only adds its own links.

    It carries the articles that are public now (or ``articles``, when the caller has
    just read them), and a subject made from them: what was prepared earlier may have
    been unpublished since, or added by hand while still a draft.
    """

    def __init__(self, digest: Digest, *, articles: list | None = None):
        self.digest = digest
        if articles is None:
            articles = list(digest.public_articles())
        self.article_ids = [a.pk for a in articles]
        self.subject = digest_subject(articles)
        self.articles = [
            {"title": single_line(a.title), "summary": a.summary, "url": absolute_url(a.get_absolute_url()),
             "category": a.category.name, "author": a.author.name}
            for a in articles
        ]

    def message(self, subscriber: Subscriber, *, connection=None) -> EmailMultiAlternatives:
        unsubscribe_url, headers = unsubscribe_headers(subscriber)
        return build(
            subject=self.subject,
            template="newsletter_digest",
            context={"digest": self.digest, "subject": self.subject, "articles": self.articles,
                     "unsubscribe_url": unsubscribe_url},
            to=subscriber.email,
            headers={**headers, "List-Id": digest_list_id()},
            connection=connection,
        )

"""What is not public yet reaches nobody: no page, feed, sitemap, search result or email
shows a draft, an article in review or a scheduled article before its time; and a
scheduled article appears when its time comes, with no job run and nothing saved.

Every URL pattern of the project is walked as an anonymous reader (admin aside), found
from the URL resolver, so a page added later is walked too. A pattern with parameters
this test does not know how to fill fails it by name: tell ``FILL`` below what to put
in them.
"""

import datetime
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest
from django.core.cache import cache
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone
from django.views.generic.list import MultipleObjectMixin

from articles.models import Article, Category, Comment
from authors.models import Author
from core import pagecache
from core.site import absolute_url
from newsletter import tasks, tokens
from newsletter.models import Subscriber
from partners.clicks import source_token
from partners.models import PartnerLink
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory, PartnerLinkFactory
from tests.newsletter.helpers import text_and_html

pytestmark = pytest.mark.django_db

# Each article's own word, in its title, slug, summary and body, found nowhere else.
CONTROL_WORD = "zephyrpublic"
HIDDEN_WORDS = {
    Article.State.DRAFT: "zephyrdraft",
    Article.State.REVIEW: "zephyrreview",
    Article.State.SCHEDULED: "zephyrscheduled",
}
# Not readers' pages: admin is for signed-in staff, and anymail/ answers the mail
# provider's webhooks behind a shared secret (most of its views cannot even start until
# their provider's API key is set).
SKIPPED_PREFIXES = ("admin/", "anymail/")


@dataclass
class Newsroom:
    control: Article
    hidden: dict[str, Article]  # by Article.State
    category: Category
    author: Author
    reviewer: Author
    link: PartnerLink
    reader: Subscriber  # active: gets the digest
    newcomer: Subscriber  # pending: has a confirmation link

    @property
    def articles(self) -> list[Article]:
        return [self.control, *self.hidden.values()]


def lighthouse_article(word: str, **fields) -> Article:
    return ArticleFactory(
        title=f"How Lighthouse Lenses Bend Light {word}",
        slug=f"lighthouse-lenses-{word}",
        summary=f"Why a Fresnel lens carries so far at sea ({word}).",
        body=f"<p>Rings of glass gather the light of one lamp; {word} is this article's own word.</p>",
        **fields,
    )


@pytest.fixture
def newsroom(db, settings, policy_pages):
    # One article a page, so every list that has a page 2 shows it when anything leaks.
    settings.ARTICLES_PER_PAGE = 1
    now = timezone.now()
    shared = {
        "category": CategoryFactory(name="Lighthouses", slug="lighthouses"),
        "author": AuthorFactory(name="Ines Harbour", slug="ines-harbour"),
        "reviewer": AuthorFactory(name="Tomas Keeper", slug="tomas-keeper", credentials="Marine Engineer"),
    }
    control = lighthouse_article(CONTROL_WORD, publish_at=now - datetime.timedelta(hours=2), **shared)
    hidden = {
        # Newer than the control, so every "newest" list would show them first.
        Article.State.DRAFT: lighthouse_article(
            HIDDEN_WORDS[Article.State.DRAFT], status=Article.Status.DRAFT,
            publish_at=now - datetime.timedelta(hours=1), **shared),
        Article.State.REVIEW: lighthouse_article(
            HIDDEN_WORDS[Article.State.REVIEW], status=Article.Status.REVIEW,
            publish_at=now - datetime.timedelta(hours=1), **shared),
        Article.State.SCHEDULED: lighthouse_article(
            HIDDEN_WORDS[Article.State.SCHEDULED], publish_at=now + datetime.timedelta(days=1), **shared),
    }
    for state, article in hidden.items():
        assert article.state == state
    # An editor may pin unpublished articles; they show once published.
    control.related_articles.add(*hidden.values())
    return Newsroom(
        control=control, hidden=hidden, link=PartnerLinkFactory(slug="fresnel-lens-kit"),
        reader=Subscriber.objects.create(email="reader@example.com", status=Subscriber.Status.ACTIVE),
        newcomer=Subscriber.objects.create(email="newcomer@example.com", status=Subscriber.Status.PENDING),
        **shared,
    )


# --- What to put in each URL pattern ----------------------------------------------------


def shared_preview_tokens(newsroom: Newsroom) -> list[dict]:
    """Links nobody may use: made up, and shared then revoked."""
    from articles import previews

    revoked = []
    for article in newsroom.hidden.values():
        revoked.append(urlsplit(previews.share_url(article)).path.rstrip("/").rsplit("/", 1)[-1])
        previews.revoke(article)
    return [{"token": "not-a-preview-link"}, *({"token": token} for token in revoked)]


def publish_link_tokens(newsroom: Newsroom) -> list[dict]:
    """Links to publish comments left on articles that are no longer public."""
    from articles.commenters import publish_link_token

    comments = [Comment.objects.create(article=article, name="Sam", email="sam@example.com", body="Pending")
                for article in newsroom.hidden.values()]
    return [{"token": publish_link_token(comment)} for comment in comments]


# Pattern (its name, or its view's dotted path when it has none) -> the parameters to walk
# it with. Patterns without parameters need no entry: they are walked as they are.
FILL = {
    "articles:detail": lambda newsroom: [{"slug": a.slug} for a in newsroom.articles],
    "articles:comment_post": lambda newsroom: [{"slug": a.slug} for a in newsroom.articles],
    "articles:comment_form_token": lambda newsroom: [{"slug": a.slug} for a in newsroom.articles],
    "articles:comment_publish": publish_link_tokens,
    "articles:category": lambda newsroom: [{"slug": c.slug} for c in Category.objects.all()],
    "articles:category_feed": lambda newsroom: [{"slug": c.slug} for c in Category.objects.all()],
    "articles:category_feed_atom": lambda newsroom: [{"slug": c.slug} for c in Category.objects.all()],
    "articles:shared_preview": shared_preview_tokens,
    "authors:detail": lambda newsroom: [{"slug": a.slug} for a in Author.objects.all()],
    "authors:feed": lambda newsroom: [{"slug": a.slug} for a in Author.objects.all()],
    "authors:feed_atom": lambda newsroom: [{"slug": a.slug} for a in Author.objects.all()],
    "partners:go": lambda newsroom: [{"slug": newsroom.link.slug}, {"slug": "no-such-link"}],
    "newsletter:confirm": lambda newsroom: [{"token": tokens.confirmation_token(newsroom.newcomer)}],
    "newsletter:unsubscribe": lambda newsroom: [{"token": tokens.unsubscribe_token(newsroom.reader)}],
    "sitemap_section": lambda newsroom: [{"section": name} for name in sitemap_sections()],
    "core.views.media": lambda newsroom: [{"path": "articles/no-such-image.png"}],
}

# Query strings walked on a pattern besides none.
QUERIES = {
    "articles:search": lambda newsroom: [
        "q=lighthouse", "q=lighthouse+lenses",
        # Typed in capitals: the page repeats what was typed, a result shows the article's own case.
        *(f"q={word.upper()}" for word in [CONTROL_WORD, *HIDDEN_WORDS.values()]),
        *(f"q={quote_plus(a.title.upper())}" for a in newsroom.articles),
    ],
    # An unknown link goes back to the article it was clicked on, if readers may see it.
    "partners:go": lambda newsroom: [f"from={source_token(a)}" for a in newsroom.articles],
}


def sitemap_sections() -> list[str]:
    return list(pattern_named("sitemap_section").default_args["sitemaps"])


def pattern_named(name: str) -> URLPattern:
    return next(pattern for key, _, pattern in url_patterns() if key == name)


def url_patterns(patterns=None, prefix: str = "", namespace: str | None = None):
    """(key, route, pattern) for every URL pattern, includes followed; key is the pattern's
    namespaced name, or its view's dotted path when it has no name."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace])) or None
            yield from url_patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif entry.name:
            yield ":".join(filter(None, [namespace, entry.name])), prefix + str(entry.pattern), entry
        else:
            yield f"{entry.callback.__module__}.{entry.callback.__qualname__}", prefix + str(entry.pattern), entry


def public_addresses(newsroom: Newsroom) -> list[str]:
    """Every public address to walk, from every URL pattern."""
    addresses, unfillable = [], []
    for key, route, pattern in url_patterns():
        if route.lstrip("^").startswith(SKIPPED_PREFIXES):
            continue
        target = key if pattern.name else pattern.callback
        if pattern.pattern.regex.groupindex:
            if key not in FILL:
                unfillable.append(f"{key} ({route})")
                continue
            parameters = FILL[key](newsroom)
            assert parameters, f"FILL gives {key} nothing to walk"
        else:
            parameters = [{}]
        queries = ["", *QUERIES.get(key, lambda newsroom: [])(newsroom)]
        for kwargs in parameters:
            path = reverse(target, kwargs=kwargs or None)
            addresses += [f"{path}?{query}" if query else path for query in queries]
    assert not unfillable, (
        "URL patterns this test does not know how to fill (add them to FILL): " + ", ".join(unfillable)
    )
    return addresses


# --- Reading what a reader gets ---------------------------------------------------------


@dataclass
class Answer:
    status: int
    text: str  # the body, and the headers (a redirect's Location)


def get(client, address: str) -> Answer:
    response = client.get(address)
    if response.status_code == 405:  # a form's target: what does posting to it show?
        response = client.post(address, {})
    body = b"".join(response.streaming_content) if response.streaming else response.content
    headers = "\n".join(f"{name}: {value}" for name, value in response.items())
    assert response.status_code < 500, f"{address} answered {response.status_code}"
    return Answer(response.status_code, headers + "\n" + body.decode(errors="replace"))


def what_was_asked(address: str) -> list[str]:
    """What the reader sent, which a page may repeat without telling anything: the
    address (a 404 page's canonical link) and the words searched for."""
    parts = urlsplit(address)
    asked = [absolute_url(parts.path)]
    for typed in parse_qs(parts.query).get("q", []):
        asked += [typed, quote(typed), quote_plus(typed)]
    return asked


def leaked_words(address: str, answer: Answer) -> list[str]:
    text = answer.text
    for asked in what_was_asked(address):
        text = text.replace(asked, "")
    return [word for word in HIDDEN_WORDS.values() if word in text.lower()]


def future_lastmods(answer: Answer) -> list[str]:
    """A sitemap's lastmod after now would tell the time of an article not yet public."""
    found = []
    for element in ET.fromstring(xml_body(answer)).iter():
        if element.tag.endswith("}lastmod"):
            value = element.text.strip()
            moment = datetime.datetime.fromisoformat(value)
            if moment.tzinfo is None:  # a date alone
                late = moment.date() > timezone.localdate()
            else:
                late = moment > timezone.now()
            if late:
                found.append(value)
    return found


def xml_body(answer: Answer) -> str:
    return answer.text[answer.text.index("<?xml"):]


def section(html: str, heading_id: str) -> str:
    """The <section> a page labels with ``heading_id``; empty when the page has none."""
    start = html.find(f'id="{heading_id}"')
    return "" if start < 0 else html[start:html.index("</section>", start)]


def walk(client, addresses: list[str]) -> dict[str, Answer]:
    """GET every address once, and each list page's later pages, as an anonymous reader."""
    answers = {}
    for address in addresses:
        answers[address] = get(client, address)
        view = getattr(resolve(urlsplit(address).path).func, "view_class", None)
        if view and issubclass(view, MultipleObjectMixin):
            joiner = "&" if "?" in address else "?"
            for page in [*range(2, 2 + len(HIDDEN_WORDS)), "last"]:
                later = f"{address}{joiner}page={page}"
                answers[later] = get(client, later)
    return answers


# --- The test -----------------------------------------------------------------------------


def test_nothing_unpublished_reaches_any_public_page_feed_sitemap_search_or_email_until_its_time(
    client, newsroom, smtp,
):
    control, hidden = newsroom.control, newsroom.hidden
    answers = walk(client, public_addresses(newsroom))

    # The sitemap index lists every section the resolver walk found, and each is walked.
    index = answers[reverse("sitemap")]
    listed = [urlsplit(loc.text).path for loc in ET.fromstring(xml_body(index)).iter() if loc.tag.endswith("}loc")]
    assert sorted(listed) == sorted(reverse("sitemap_section", args=[name]) for name in sitemap_sections())
    for address in listed:
        answers.setdefault(address, get(client, address))

    leaks = {address: words for address, answer in answers.items() if (words := leaked_words(address, answer))}
    assert not leaks, f"Unpublished articles' words on public addresses: {leaks}"
    for address, answer in answers.items():
        if answer.status == 200 and ("<urlset" in answer.text or "<sitemapindex" in answer.text):
            assert not future_lastmods(answer), f"{address} dates something not public yet"

    for article in hidden.values():
        assert answers[article.get_absolute_url()].status == 404, article.state
        assert answers[reverse("articles:comment_post", args=[article.slug])].status == 404, article.state
        assert answers[reverse("articles:comment_form_token", args=[article.slug])].status == 404, article.state

    # The control is where a reader finds it, so the absences above mean something.
    shown_control = [
        reverse("articles:home"), control.get_absolute_url(),
        reverse("articles:feed"), reverse("articles:feed_atom"),
        reverse("articles:category", args=[newsroom.category.slug]),
        reverse("articles:category_feed", args=[newsroom.category.slug]),
        reverse("articles:category_feed_atom", args=[newsroom.category.slug]),
        reverse("authors:detail", args=[newsroom.author.slug]),
        reverse("authors:detail", args=[newsroom.reviewer.slug]),  # "Articles reviewed"
        reverse("authors:feed", args=[newsroom.author.slug]),
        reverse("authors:feed_atom", args=[newsroom.author.slug]),
        reverse("sitemap_section", args=["articles"]),
        f"{reverse('articles:search')}?q=lighthouse",
        f"{reverse('articles:search')}?q=lighthouse+lenses",
        f"{reverse('articles:search')}?q={CONTROL_WORD.upper()}",
    ]
    for address in shown_control:
        assert answers[address].status == 200, address
        assert control.get_absolute_url() in answers[address].text, f"the control article is missing from {address}"

    # The daily digest, as the daily task builds and sends it.
    assert tasks.send_daily_digest.call() == 1
    (message,) = smtp.messages
    text, html = text_and_html(message)
    sent = "\n".join([str(message["Subject"]), text, html])
    assert not [word for word in HIDDEN_WORDS.values() if word in sent.lower()], f"Unpublished articles mailed: {sent}"
    assert control.title in str(message["Subject"]) and control.title in text
    assert control.get_absolute_url() in text and control.get_absolute_url() in html

    # Time passes until the scheduled article is due: nobody saves anything, no job runs.
    scheduled = hidden[Article.State.SCHEDULED]
    state = cache.get(pagecache.STATE_KEY)
    assert state["until"] == pytest.approx(scheduled.publish_at.timestamp(), abs=0.001), (
        "the page cache must know when the next scheduled article is due"
    )
    due = scheduled.publish_at - (timezone.now() - datetime.timedelta(minutes=1))
    # The article's time and the cache's note of it move back together: what the clock
    # moving forward does. QuerySet.update itself, as nothing announces a change then.
    models.QuerySet.update(
        Article.objects.filter(pk=scheduled.pk),
        publish_at=scheduled.publish_at - due,
        updated_on=timezone.localdate(scheduled.publish_at - due),
    )
    cache.set(pagecache.STATE_KEY, {**state, "until": state["until"] - due.total_seconds()}, None)

    for address in [reverse("articles:home"), reverse("articles:feed"), reverse("articles:feed_atom"),
                    reverse("articles:category", args=[newsroom.category.slug]), scheduled.get_absolute_url()]:
        answer = get(client, address)
        assert answer.status == 200, address
        assert leaked_words(address, answer) == [HIDDEN_WORDS[Article.State.SCHEDULED]], (
            f"{address} at the scheduled article's time: it must show it, and still no draft or article in review"
        )
    related = section(get(client, control.get_absolute_url()).text, "related-title")
    assert scheduled.get_absolute_url() in related
    for kept_back in (Article.State.DRAFT, Article.State.REVIEW):
        assert hidden[kept_back].get_absolute_url() not in related

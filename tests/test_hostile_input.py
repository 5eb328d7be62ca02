"""Hostile input through every field a person can fill stays data on every page it reaches.

Each payload of tests/data/xss_payloads.txt (OWASP filter-evasion families, mutation-XSS
and sanitizer-bypass cases, header injection, template-looking text) is written into one
field at a time, the way that field is really written: an editor's admin form, the shell
(the ORM, no validation) or ``QuerySet.update()``, and the public comment, signup and
search forms. Then every page, feed, sitemap and email where the field shows is read as a
browser (html5lib, the HTML5 parsing algorithm) or a feed reader (an XML parser, then the
HTML inside it) reads it, and must hold nothing live that the same page does not hold
without hostile data: no script of ours missing from the clean page, no event handler, no
javascript:/vbscript:/data: address, no srcdoc or formaction, no <base>, no refresh, no
frame or plug-in, no style with expression() or a script address.

Payloads are packed several to a value, up to the field's length (the shell's writes are
cut to it, as PostgreSQL would refuse longer ones), so each field takes a few dozen
objects; a failure names the field, the page and the payloads of the value that broke it.
"""

from __future__ import annotations

import dataclasses
import re
import urllib.parse
import xml.etree.ElementTree as ET

import html5lib
import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.test import Client
from django.urls import reverse

from articles import previews
from articles.forms import CommentForm
from articles.models import Article, Category, Comment
from authors.models import Author
from core.models import SiteTexts
from images.models import Image
from newsletter.models import Subscriber
from partners.models import AffiliatePartner
from tests.factories import AffiliatePartnerFactory, ArticleFactory, AuthorFactory, CategoryFactory
from tests.forms import form_fields
from tests.newsletter.helpers import hours_ago, send_digest, subscriber
from tests.payloads import PAYLOADS, packed

# What a page renders from stored text does not depend on the database engine, and the
# module reads several thousand pages: it runs in the SQLite pass only. (Search snippets,
# the one engine-specific rendering, are tested on both in tests/articles/test_search*.py.)
pytestmark = [pytest.mark.django_db, pytest.mark.sqlite]


def test_the_corpus_holds_enough_payloads_of_every_family():
    assert len(PAYLOADS) >= 100
    assert len(set(PAYLOADS)) == len(PAYLOADS), "a payload is listed twice"
    joined = "\n".join(PAYLOADS).lower()
    for family in ["<script", "onerror", "javascript:", "vbscript:", "data:", "<svg", "<math", "<noscript",
                   "<template", "<textarea", "srcdoc", "formaction", "<base", "http-equiv", "expression(",
                   "<![cdata[", "<!--", "\0", "\r\n", "{{", "{%"]:
        assert family in joined, family
    assert max(map(len, PAYLOADS)) > 4000


# --- Reading a page as a browser does ---------------------------------------------------

_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "background", "codebase",
                   "dynsrc", "lowsrc", "to", "from", "values", "by", "icon", "manifest", "ping", "cite"}
_FRAMES = {"iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
_DANGEROUS_CSS = ("expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding", "@import")


def _scheme_of(url: str) -> str:
    """The address as a browser reads its scheme: tabs and newlines anywhere, and C0
    controls and spaces around it, are ignored (the parser has decoded the entities)."""
    return re.sub(r"[\t\n\r]", "", url).strip(_C0_AND_SPACE).lower()


def _executable(url: str) -> bool:
    return _scheme_of(url).startswith(_SCHEMES)


def _css(value: str) -> str:
    """CSS as the browser tokenizes it, roughly: comments, escapes and spaces gone."""
    value = re.sub(r"/\*.*?\*/", "", value, flags=re.S)
    value = re.sub(r"\\([0-9a-fA-F]{1,6})\s?", lambda m: chr(int(m.group(1), 16)) if int(m.group(1), 16) < 0x110000 else "", value)
    value = value.replace("\\", "")
    return re.sub(r"\s+", "", value).lower()


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def live_markup(html: str | bytes) -> set[tuple]:
    """Everything on a page a browser would run, load as a document or obey, parsed as a
    browser parses it: each as a short tuple that does not depend on the page's text."""
    document = html5lib.parse(html, treebuilder="etree", namespaceHTMLElements=False)
    found = set()
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = _local(element.tag)
        attrs = {_local(name).lower(): value for name, value in element.attrib.items()}
        if tag == "script":
            found.add(("script", attrs.get("src", ""), attrs.get("type", "")))
        elif tag in _FRAMES:
            found.add((tag, attrs.get("src", attrs.get("data", ""))))
        elif tag == "base":
            found.add(("base", attrs.get("href", "")))
        elif tag == "meta" and "http-equiv" in attrs:
            found.add(("meta http-equiv", attrs["http-equiv"].lower(), attrs.get("content", "")))
        elif (tag == "link" and set(attrs.get("rel", "").lower().split()) & {"stylesheet", "import"}
              and not attrs.get("href", "").startswith(settings.STATIC_URL)):
            found.add(("link", attrs.get("rel", ""), attrs.get("href", "")))
        elif tag == "style" and any(bad in _css(element.text or "") for bad in _DANGEROUS_CSS):
            found.add(("style element", _css(element.text or "")[:80]))
        for name, value in attrs.items():
            if name.startswith("on"):
                found.add((tag, "event handler", name))
            elif name in {"srcdoc", "formaction"}:
                found.add((tag, name))
            elif name == "style" and any(bad in _css(value) for bad in _DANGEROUS_CSS):
                found.add((tag, "style", _css(value)[:80]))
            elif name in _URL_ATTRIBUTES and _executable(value):
                found.add((tag, name, _scheme_of(value)[:40]))
            elif name in {"srcset", "imagesrcset"} and any(
                _executable(candidate.strip().split(" ")[0]) for candidate in value.split(",") if candidate.strip()
            ):
                found.add((tag, name, value[:40]))
            elif name == "attributename" and value.lower() in {"href", "xlink:href"} and tag in {"set", "animate"}:
                found.add((tag, "animates", value))
    return found


# What Django's template language would print for the template-looking payloads, had a
# stored text ever been rendered as a template.
_TEMPLATE_OUTPUT = ["'False': False", "{'True': True"]


@dataclasses.dataclass
class Reader:
    """Fetches pages and collects everything live on them that the clean site lacks."""

    client: Client
    field: str
    baseline: set = dataclasses.field(default_factory=set)
    problems: list = dataclasses.field(default_factory=list)
    pages_read: int = 0

    def learn(self, *urls: str) -> None:
        """What the clean pages hold of their own: our scripts, JSON-LD, stylesheets."""
        for url in urls:
            response = self.client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            self.baseline |= live_markup(response.content)

    def html(self, where: str, html: str | bytes, payloads: list[str] | None = None) -> None:
        self.pages_read += 1
        text = html.decode(errors="replace") if isinstance(html, bytes) else html
        new = live_markup(text) - self.baseline
        leaks = [marker for marker in [*_TEMPLATE_OUTPUT, settings.SECRET_KEY] if marker in text]
        if new or leaks:
            self.problems.append((self.field, where, sorted(new) + leaks, payloads or "(all)"))

    def get(self, url: str, payloads: list[str] | None = None, *, statuses=(200,)) -> str:
        response = self.client.get(url)
        assert response.status_code in statuses, (self.field, url, response.status_code)
        self.html(url, response.content, payloads)
        return response.content.decode(errors="replace")

    def feed(self, url: str) -> None:
        """An RSS or Atom feed: well-formed XML, and the HTML inside it is safe HTML."""
        response = self.client.get(url)
        assert response.status_code == 200, (self.field, url, response.status_code)
        root = ET.fromstring(response.content)
        self.pages_read += 1
        for element in root.iter():
            name = _local(element.tag)
            if name in {"description", "encoded", "content", "summary"} and element.text:
                new = live_markup(element.text)
                if new:
                    self.problems.append((self.field, f"{url} <{name}>", sorted(new), "(all)"))
            for attr, value in element.attrib.items():
                if _local(attr) in {"href", "url", "src"} and not value.startswith(settings.SITE_URL):
                    self.problems.append((self.field, f"{url} <{name} {attr}>", [value], "(all)"))
            if name in {"link", "guid", "loc", "id"} and element.text and element.text.strip():
                if not element.text.strip().startswith((settings.SITE_URL, "tag:")):
                    self.problems.append((self.field, f"{url} <{name}>", [element.text], "(all)"))

    def sitemaps(self) -> None:
        index = ET.fromstring(self.client.get(reverse("sitemap")).content)
        namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
        for section in [loc.text for loc in index.iter(f"{namespace}loc")]:
            response = self.client.get(urllib.parse.urlsplit(section).path)
            assert response.status_code == 200, section
            document = ET.fromstring(response.content)
            self.pages_read += 1
            for element in document.iter():
                if element.text and _local(element.tag) == "loc":
                    address = element.text.strip()
                    if not address.startswith(settings.SITE_URL) or re.search(r"[\s<>\"']", address):
                        self.problems.append((self.field, section, [address], "(all)"))

    def email(self, where: str, message) -> None:
        """Both parts of a received message (the HTML part as a browser reads it) and its
        headers: each on one line, none smuggled in through a title or an address."""
        html_part = message.get_body(("html",))
        if html_part is not None:
            self.html(f"{where} (HTML part)", html_part.get_content())
        # The text part is plain text: a line in it that reads "Bcc: …" is only words.
        assert message.get_body(("plain",)) is not None, where
        for header in ("Subject", "To", "From", "Reply-To"):
            if message[header] is not None and re.search(r"[\r\n]", str(message[header])):
                self.problems.append((self.field, f"{where} {header}", [str(message[header])], "(all)"))
        for name in message.keys():
            if name.lower() in {"bcc", "x-injected", "set-cookie"}:
                self.problems.append((self.field, f"{where} header", [name], "(all)"))

    def assert_clean(self) -> None:
        assert self.pages_read > 0
        assert not self.problems, "\n".join(
            f"{field} on {where}: {found}\n    payloads: {payloads!r}"[:2000]
            for field, where, found, payloads in self.problems[:10]
        )


# --- The site, and the people who write into it -----------------------------------------

ADMIN = "/" + settings.ADMIN_URL


@pytest.fixture
def site(db, policy_pages, settings):
    """A clean site with one of everything, and an editor signed in to admin."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.COMMENT_MIN_SECONDS = 0
    settings.COMMENT_RATE_LIMIT = 100_000
    settings.COMMENT_MAX_LINKS = 100
    settings.COMMENT_MAX_LENGTH = 100_000
    settings.COMMENT_NOTIFY_EMAILS = []
    settings.NEWSLETTER_SIGNUP_RATE_LIMIT = 100_000
    category = CategoryFactory(name="Health", slug="health")
    author = AuthorFactory(name="Maya Okafor", slug="maya-okafor")
    control = ArticleFactory(title="Sciatica and Back Pain", slug="sciatica", category=category, author=author)
    AffiliatePartnerFactory(name="Brightleaf", slug="brightleaf")
    Comment.objects.create(article=control, name="Ann", email="ann@example.com", body="Helpful, thanks.",
                           status=Comment.Status.APPROVED)
    editor = Client()
    from django.contrib.auth.models import User
    editor.force_login(User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1"))
    return {"category": category, "author": author, "control": control, "editor": editor}


_CLEAN_SITE: set = set()  # what the clean pages hold: the same in every test, learnt once


def reader_for(site, field: str, *extra_urls: str) -> Reader:
    """A reader who knows what the clean pages (public and admin) hold of their own."""
    reader = Reader(site["editor"], field)
    if not _CLEAN_SITE:
        control = site["control"]
        reader.learn(
            "/", control.get_absolute_url(), site["category"].get_absolute_url(),
            site["author"].get_absolute_url(), reverse("partners:list"), "/about/",
            reverse("articles:search") + "?q=sciatica", "/newsletter/", ADMIN,
            reverse("admin:articles_article_changelist"),
            reverse("admin:articles_article_change", args=[control.pk]),
            reverse("admin:articles_article_history", args=[control.pk]),
            reverse("admin:articles_article_preview", args=[control.pk]),
        )
        # The public pages as the public gets them, without the admin's session.
        anonymous = Reader(Client(), field)
        anonymous.learn("/", control.get_absolute_url())
        _CLEAN_SITE.update(reader.baseline | anonymous.baseline)
    reader.baseline = set(_CLEAN_SITE)
    reader.learn(*extra_urls)
    return reader


def admin_save(reader: Reader, url: str, form_id: str, payloads: list[str], **changes) -> int:
    """Save an admin form as an editor's browser sends it; a refused form is a page too."""
    client = reader.client
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    fields = form_fields(page.content.decode(), form_id)
    fields.update(changes)
    response = client.post(url, fields)
    assert response.status_code in (200, 302), (reader.field, url, response.status_code, payloads)
    if response.status_code == 200:  # sent back with the editor's text and an error
        reader.html(f"{url} (refused)", response.content, payloads)
    return response.status_code


def public_reads(reader: Reader, site, objects: list[tuple[str, list[str]]]) -> None:
    """The pages every article field reaches: each object's own page, then every list,
    feed and sitemap."""
    for url, payloads in objects:
        reader.get(url, payloads)
    category = site["category"]
    for page in range(1, 1 + (Article.objects.published().filter(category=category).count() // 10) + 1):
        reader.get(f"{category.get_absolute_url()}?page={page}", statuses=(200, 404))
    reader.get("/")
    reader.get(site["author"].get_absolute_url())
    reader.get(reverse("articles:search") + "?q=alert")
    for name in ("articles:feed", "articles:feed_atom"):
        reader.feed(reverse(name))
    for name in ("articles:category_feed", "articles:category_feed_atom"):
        reader.feed(reverse(name, kwargs={"slug": category.slug}))
    reader.sitemaps()


def admin_reads(reader: Reader, changelist: str, change_urls: list[tuple[str, list[str]]]) -> None:
    """The change list (all of them, and searched), and a few change forms: each shows
    its values through Django's own widgets, which a few suffice to try."""
    reader.get(changelist)
    reader.get(changelist + "?q=alert")
    for url, payloads in change_urls[:3]:
        reader.get(url, payloads)


# --- Articles ---------------------------------------------------------------------------

ARTICLE_FIELDS = {"title": 200, "summary": 300, "body": None, "seo_title": 200, "seo_description": 300,
                  "featured_image_alt": 250, "affiliate_disclosure": 300}


def hostile_articles(site, field: str, how: str, reader: Reader) -> list[tuple[Article, list[str]]]:
    """One published article per packed value of ``field``, written ``how``."""
    written = []
    for n, (value, payloads) in enumerate(packed(ARTICLE_FIELDS[field])):
        slug = f"hostile-{n}"
        if how == "shell":
            fields = {"title": f"Hostile {n}", "summary": "Summary.", "body": "<p>Body.</p>", field: value}
            article = Article.objects.create(slug=slug, category=site["category"], author=site["author"],
                                             status=Article.Status.PUBLISHED, **fields)
        else:
            article = ArticleFactory(title=f"Hostile {n}", slug=slug, category=site["category"],
                                     author=site["author"])
            if how == "update()":
                Article.objects.filter(pk=article.pk).update(**{field: value})
            else:
                admin_save(reader, reverse("admin:articles_article_change", args=[article.pk]),
                           "article_form", payloads, **{field: value})
        written.append((article, payloads))
    return written


# Plain text is stored as it comes whoever writes it; rich text is cleaned by save(),
# which update() skips: only the body has a third way in. Through admin, see below.
@pytest.mark.parametrize("field, how", [("title", "shell"), ("summary", "shell"), ("body", "shell"),
                                        ("body", "update()")])
def test_article_text_is_data_on_every_page_feed_and_sitemap(site, field, how):
    reader = reader_for(site, f"Article.{field} ({how})")
    written = hostile_articles(site, field, how, reader)
    assert Article.objects.published().filter(slug__startswith="hostile-").count() == len(written)

    public_reads(reader, site, [(article.get_absolute_url(), payloads) for article, payloads in written])
    admin_reads(reader, reverse("admin:articles_article_changelist"), [
        (reverse("admin:articles_article_change", args=[article.pk]), payloads) for article, payloads in written
    ])
    reader.assert_clean()


def test_article_title_summary_and_body_saved_in_admin_are_data_on_every_page(site):
    """Each save carries one packed value in the title, the summary and the body at once:
    an editor's form is the slowest way in, and the three fields' own pages are the same."""
    reader = reader_for(site, "Article.title+summary+body (admin)")
    written = []
    for n, (value, payloads) in enumerate(packed(200)):
        article = ArticleFactory(title=f"Hostile {n}", slug=f"hostile-{n}", category=site["category"],
                                 author=site["author"])
        admin_save(reader, reverse("admin:articles_article_change", args=[article.pk]), "article_form", payloads,
                   title=value, summary=value, body=value)
        written.append((article, payloads))
    stored = Article.objects.filter(slug__startswith="hostile-")
    assert stored.exclude(title__startswith="Hostile").count() > len(written) // 2, "admin refused most saves"

    public_reads(reader, site, [(article.get_absolute_url(), payloads) for article, payloads in written])
    admin_reads(reader, reverse("admin:articles_article_changelist"), [
        (reverse("admin:articles_article_change", args=[article.pk]), payloads) for article, payloads in written
    ])
    reader.assert_clean()


@pytest.mark.parametrize("field", ["seo_title", "seo_description", "featured_image_alt", "affiliate_disclosure"])
def test_article_head_and_image_texts_are_data(site, field):
    reader = reader_for(site, f"Article.{field} (shell)")
    written = hostile_articles(site, field, "shell", reader)
    for article, payloads in written:
        reader.get(article.get_absolute_url(), payloads)
    reader.feed(reverse("articles:feed"))
    reader.assert_clean()


def test_article_history_compare_and_previews_show_hostile_versions_as_data(site):
    reader = reader_for(site, "Article history and previews")
    article = site["control"]
    change = reverse("admin:articles_article_change", args=[article.pk])
    for value, payloads in packed(200, per_value=40)[:3]:
        admin_save(reader, change, "article_form", payloads, title=value, body=value, summary=value[:300],
                   change_note=value[:200])
    versions = list(article.history.order_by("history_id").values_list("history_id", flat=True))
    reader.get(reverse("admin:articles_article_history", args=[article.pk]))
    for older, newer in zip(versions, versions[1:]):
        reader.get(reverse("admin:articles_article_history_compare", args=[article.pk])
                   + f"?from={older}&to={newer}")
        reader.get(reverse("admin:articles_article_simple_history", args=[article.pk, newer]))
    reader.get(reverse("admin:articles_article_preview", args=[article.pk]))
    article.refresh_from_db()
    anonymous = Reader(Client(), reader.field, baseline=reader.baseline)
    anonymous.get(previews.share_url(article))
    anonymous.assert_clean()
    reader.assert_clean()


def test_the_digest_on_the_wire_carries_hostile_titles_and_summaries_as_data(site, smtp):
    reader = reader_for(site, "digest email")
    subscriber("ada@example.com", Subscriber.Status.ACTIVE)
    for n, (value, payloads) in enumerate(packed(200, per_value=4)):
        ArticleFactory(title=value, summary=value, slug=f"digest-{n}", category=site["category"],
                       author=site["author"], body=f"<p>{value}</p>", publish_at=hours_ago(1))
    output = send_digest()
    assert "Sent the digest to 1 subscriber" in output, output
    (message,) = smtp.messages_to("ada@example.com")
    reader.email("digest", message)
    reader.assert_clean()


# --- Authors, categories, partners, policy pages, site texts --------------------------


@pytest.mark.parametrize("how", ["admin", "shell"])
@pytest.mark.parametrize("field, limit", [("name", 120), ("short_bio", 300), ("bio", None), ("credentials", 160)])
def test_author_texts_are_data_on_their_pages(site, field, limit, how):
    reader = reader_for(site, f"Author.{field} ({how})")
    written = []
    for n, (value, payloads) in enumerate(packed(limit)):
        author = AuthorFactory(slug=f"hostile-author-{n}")
        if how == "shell":
            Author.objects.filter(pk=author.pk).update(**{field: value})
        else:
            admin_save(reader, reverse("admin:authors_author_change", args=[author.pk]), "author_form", payloads,
                       **{field: value})
        article = ArticleFactory(slug=f"by-hostile-{n}", category=site["category"], author=author, reviewer=author)
        written.append((author, article, payloads))
    for author, article, payloads in written:
        reader.get(author.get_absolute_url(), payloads)
        reader.get(article.get_absolute_url(), payloads)
        reader.get(reverse("admin:authors_author_change", args=[author.pk]), payloads)
    reader.get(reverse("admin:authors_author_changelist"))
    reader.get("/")
    reader.feed(reverse("articles:feed"))
    reader.feed(reverse("articles:feed_atom"))
    reader.sitemaps()
    reader.assert_clean()


@pytest.mark.parametrize("how", ["admin", "shell"])
@pytest.mark.parametrize("field, limit", [("name", 80), ("description", 300)])
def test_category_texts_are_data_on_every_page_they_reach(site, field, limit, how):
    reader = reader_for(site, f"Category.{field} ({how})")
    written = []
    for n, (value, payloads) in enumerate(packed(limit)):
        category = CategoryFactory(slug=f"hostile-category-{n}")
        if how == "shell":
            Category.objects.filter(pk=category.pk).update(**{field: value})
        else:
            admin_save(reader, reverse("admin:articles_category_change", args=[category.pk]), "category_form",
                       payloads, **{field: value})
        article = ArticleFactory(slug=f"in-hostile-{n}", category=category, author=site["author"])
        written.append((category, article, payloads))
    for category, article, payloads in written:
        reader.get(category.get_absolute_url(), payloads)
        reader.get(article.get_absolute_url(), payloads)
        reader.feed(reverse("articles:category_feed", kwargs={"slug": category.slug}))
    reader.get("/")
    reader.get(reverse("admin:articles_category_changelist"))
    reader.feed(reverse("articles:feed"))
    reader.sitemaps()
    reader.assert_clean()


@pytest.mark.parametrize("how", ["admin", "shell"])
@pytest.mark.parametrize("field, limit", [("name", 120), ("description", 300), ("website", 200)])
def test_partner_texts_and_addresses_are_data_on_the_partners_page(site, field, limit, how):
    reader = reader_for(site, f"AffiliatePartner.{field} ({how})")
    written = []
    values = packed(limit, per_value=1 if field == "website" else 10)
    if field == "website" and how == "admin":  # admin's URL check refuses any with a space at once
        values = [(value, payloads) for value, payloads in values if not re.search(r"\s", value.strip())]
    for n, (value, payloads) in enumerate(values):
        partner = AffiliatePartnerFactory(slug=f"hostile-partner-{n}")
        if how == "shell":
            AffiliatePartner.objects.filter(pk=partner.pk).update(**{field: value})
        else:
            admin_save(reader, reverse("admin:partners_affiliatepartner_change", args=[partner.pk]),
                       "affiliatepartner_form", payloads, **{field: value})
        written.append((partner, payloads))
    reader.get(reverse("partners:list"))
    reader.get(site["control"].get_absolute_url())
    reader.get(reverse("admin:partners_affiliatepartner_changelist"))
    for partner, payloads in written:
        reader.get(reverse("admin:partners_affiliatepartner_change", args=[partner.pk]), payloads)
    reader.assert_clean()


@pytest.mark.parametrize("how", ["admin", "shell"])
@pytest.mark.parametrize("field, limit", [("title", 200), ("content", None)])
def test_policy_page_texts_are_data(site, field, limit, how):
    reader = reader_for(site, f"FlatPage.{field} ({how})")
    page = FlatPage.objects.get(url="/about/")
    for value, payloads in packed(limit):
        if how == "shell":
            FlatPage.objects.filter(pk=page.pk).update(**{field: value})
        else:
            admin_save(reader, reverse("admin:flatpages_flatpage_change", args=[page.pk]), "flatpage_form",
                       payloads, **{field: value}, sites=str(Site.objects.get_current().pk))
        reader.get("/about/", payloads)
        reader.get("/", payloads)
    reader.get(reverse("admin:flatpages_flatpage_changelist"))
    reader.get(reverse("admin:flatpages_flatpage_change", args=[page.pk]))
    reader.sitemaps()
    reader.assert_clean()


@pytest.mark.parametrize("how", ["admin", "shell"])
@pytest.mark.parametrize("field, limit", [("disclosure_bar", 200), ("how_we_make_money", 600),
                                          ("article_disclosure", 300), ("promise", 600)])
def test_site_texts_are_data_on_every_page(site, field, limit, how):
    reader = reader_for(site, f"SiteTexts.{field} ({how})")
    partner_article = ArticleFactory(slug="with-partner-link", category=site["category"], author=site["author"],
                                     body='<p><a href="https://www.brightleaf.example/x">a kit</a></p>',
                                     affiliate_disclosure="")
    change = reverse("admin:core_sitetexts_change", args=[1])
    SiteTexts().save()
    for value, payloads in packed(limit):
        if how == "shell":
            SiteTexts.objects.filter(pk=1).update(**{field: value})
        else:
            admin_save(reader, change, "sitetexts_form", payloads, **{field: value})
        for url in ("/", site["control"].get_absolute_url(), partner_article.get_absolute_url()):
            reader.get(url, payloads)
    reader.get(change)
    reader.assert_clean()


# --- What the public writes: comments, signups, searches ------------------------------


def post_comment(client: Client, article: Article, **fields):
    """The comment form as a reader's browser sends it, with the token the page gave."""
    form = CommentForm(article=article)
    data = {"name": "Sam Reader", "email": "sam@example.com", "body": "Thanks.", "website": "", "parent": "",
            "issued": form["issued"].value(), **fields}
    return client.post(reverse("articles:comment_post", kwargs={"slug": article.slug}), data,
                       HTTP_SEC_FETCH_SITE="same-origin")


@pytest.mark.parametrize("field, limit", [("name", 80), ("body", 4000), ("email", 254)])
def test_comment_fields_are_data_for_their_writer_readers_and_moderators(site, field, limit):
    reader = reader_for(site, f"Comment.{field} (public form)", reverse("admin:articles_comment_changelist"))
    article = site["control"]
    public = Client()
    mine = Reader(public, reader.field, baseline=reader.baseline)
    accepted = []
    for n, (value, payloads) in enumerate(packed(limit)):
        if field == "email":
            # Never shown on the site; moderators see it in admin.
            value = (payloads[0][:40].replace(" ", "").replace("@", "") or "x") + f"{n}@example.com"
        response = post_comment(public, article, **{field: value})
        assert response.status_code in (302, 400), (field, response.status_code, payloads)
        if response.status_code == 302:
            accepted.append(payloads)
            mine.get(response["Location"], payloads)  # the writer's own view, awaiting moderation
        else:
            mine.html(f"{article.get_absolute_url()} (refused)", response.content, payloads)
    assert accepted, "no payload was accepted: the form refuses everything"
    Comment.objects.update(status=Comment.Status.APPROVED)
    Reader(Client(), reader.field, baseline=reader.baseline).get(article.get_absolute_url())
    reader.get(reverse("admin:articles_comment_changelist"))
    for comment in Comment.objects.all():
        reader.get(reverse("admin:articles_comment_change", args=[comment.pk]))
    mine.assert_clean()
    reader.assert_clean()


def test_signup_addresses_are_refused_or_kept_as_data_in_the_confirmation_and_the_admin(
    site, smtp, django_capture_on_commit_callbacks
):
    reader = reader_for(site, "Subscriber.email (signup form)", reverse("admin:newsletter_subscriber_changelist"))
    public = Client()
    candidates = []
    for n, payload in enumerate(PAYLOADS):
        compact = payload[:60]
        candidates += [payload, f"{compact}@example.com", f'"{compact}"@example.com', f"x{n}@{compact}.example"]
    answers = {}
    for address in candidates:
        with django_capture_on_commit_callbacks(execute=True):
            response = public.post("/newsletter/", {"email": address, "source": "newsletter-page"},
                                   HTTP_SEC_FETCH_SITE="same-origin")
        answers[address] = response.status_code
        if response.status_code == 400:
            reader.html("/newsletter/ (refused)", response.content, [address])
    assert set(answers.values()) <= {302, 400}, {a: s for a, s in answers.items() if s not in (302, 400)}
    kept = list(Subscriber.objects.values_list("email", flat=True))
    assert kept, "every address was refused: nothing reached the confirmation email"
    for message in smtp.messages:
        reader.email(f"confirmation to {message['To']}", message)
    reader.get(reverse("admin:newsletter_subscriber_changelist"))
    for pk in Subscriber.objects.values_list("pk", flat=True):
        reader.get(reverse("admin:newsletter_subscriber_change", args=[pk]))
    reader.assert_clean()


def test_search_queries_are_data_on_the_results_page(site):
    reader = reader_for(site, "search query")
    anonymous = Reader(Client(), reader.field, baseline=reader.baseline)
    for payload in PAYLOADS:
        url = reverse("articles:search") + "?" + urllib.parse.urlencode({"q": payload})
        response = anonymous.client.get(url)
        assert response.status_code in (200, 400), (payload, response.status_code)
        anonymous.html(url, response.content, [payload])
    anonymous.assert_clean()


# --- The media library ------------------------------------------------------------------


@pytest.mark.parametrize("how", ["admin", "shell"])
@pytest.mark.parametrize("field, limit", [("alt_text", 250), ("caption", None), ("credit", 250)])
def test_library_texts_are_data_in_the_library_and_on_articles(site, field, limit, how):
    reader = reader_for(site, f"Image.{field} ({how})", reverse("admin:images_image_changelist"))
    written = []
    for n, (value, payloads) in enumerate(packed(limit)):
        image = Image.objects.create(name=f"library/2026/05/hostile{n}.png", width=40, height=30, format="PNG")
        if how == "shell":
            Image.objects.filter(pk=image.pk).update(**{field: value})
        else:
            admin_save(reader, reverse("admin:images_image_change", args=[image.pk]), "image_form", payloads,
                       **{field: value})
        article = ArticleFactory(slug=f"pictured-{n}", category=site["category"], author=site["author"],
                                 body=f'<figure class="image"><img src="/media/{image.name}"></figure>',
                                 featured_from_library=image)
        written.append((image, article, payloads))
    reader.get(reverse("admin:images_image_changelist"))
    for image, article, payloads in written:
        reader.get(reverse("admin:images_image_change", args=[image.pk]), payloads)
        reader.get(article.get_absolute_url(), payloads)
    reader.feed(reverse("articles:feed"))
    reader.assert_clean()


@pytest.mark.parametrize("address", ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)",
                                     "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"])
def test_web_addresses_written_past_validation_are_never_links_that_run(client, site, address):
    """A shell or an import can store any text in a URLField (update() skips its check):
    the partners page and the author page link only to web addresses."""
    partner = AffiliatePartnerFactory(slug="unchecked")
    AffiliatePartner.objects.filter(pk=partner.pk).update(website=address)
    Author.objects.filter(pk=site["author"].pk).update(website=address, social_links=address)

    for url in (reverse("partners:list"), site["author"].get_absolute_url()):
        page = client.get(url)
        assert page.status_code == 200
        hrefs = [attrs for attrs in live_markup(page.content) if attrs[1:2] == ("href",)]
        assert hrefs == [], url
    assert b'rel="sponsored noopener">' in client.get(reverse("partners:list")).content

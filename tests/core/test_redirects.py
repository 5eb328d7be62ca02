"""Every redirect the site issues stays on the site, except /go/'s, which goes only to an
address an editor stored for an affiliate partner, and only when it is a plain http(s)
address. No parameter a request carries (``next``, ``return``, ``redirect_to``,
``from``, the path itself) can send a reader anywhere else, however it is written."""

from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.urls import reverse

from articles.models import Article
from core.redirects import is_web_address
from partners.clicks import source_token
from partners.models import AffiliatePartner, PartnerLink
from tests.articles.test_comments import post as post_comment
from tests.factories import ArticleFactory, PartnerLinkFactory

pytestmark = pytest.mark.django_db

# Addresses that lead off the site when a browser follows them, written the ways filters
# miss. Relative-looking ones: scheme-relative, backslashes (read as slashes), a tab or a
# space (dropped), no slashes after the scheme, encoded slashes.
DISGUISED = [
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "https:evil.example",
    "http:/\\evil.example",
    "http:\\\\evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "%09//evil.example",
    "\t//evil.example",
    " //evil.example",
]
# Another site, plainly, or behind credentials that make it read like ours, or a look-alike.
ELSEWHERE = ["https://evil.example", "HTTPS://EVIL.EXAMPLE/", "https://evil.example/%0d%0aSet-Cookie:%20pwned=1"]
WITH_CREDENTIALS = ["https://site@evil.example", "https://testserver@evil.example",
                    "https://testserver:80@evil.example/"]
LOOKALIKES = [
    "https://testserver.evil.example/",
    "https://evil.example/testserver",
    "https://t\u0435stserver/",  # a Cyrillic е
    "https://xn--tstserver-2fg/",
    "https://evil\u3002example/",  # an ideographic full stop, which IDNA reads as a dot
    "\uff48\uff54\uff54\uff50\uff53://evil.example",  # fullwidth letters
]
# Schemes that run code, and line breaks that would add headers of their own.
CODE = ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\nscript:alert(1)",
        "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)"]
HEADER_INJECTION = ["/ok\r\nLocation: https://evil.example", "https://evil.example\r\nSet-Cookie: pwned=1"]
HOSTILE = DISGUISED + ELSEWHERE + WITH_CREDENTIALS + LOOKALIKES + CODE + HEADER_INJECTION

OWN_ORIGINS = {("http", "testserver"), tuple(urlsplit(settings.SITE_URL)[:2])}


def stays_on_site(location: str) -> bool:
    """Whether a browser following ``location`` stays on this site: an address on one of
    our origins, or a reference with neither scheme nor host, as a browser reads it (it
    drops leading spaces, tabs and line breaks and reads a backslash as a slash)."""
    if location != location.strip() or any(char in location for char in "\t\r\n\\") or not location.isprintable():
        return False
    parts = urlsplit(location)
    if parts.scheme or parts.netloc:
        return (parts.scheme, parts.netloc) in OWN_ORIGINS
    return not location.startswith("//")  # "///host" is a host too


# Hostile as input, harmless as a Location: references with no scheme and no host, so a
# browser resolves them against the page's own address (%-escapes are not decoded first).
HARMLESS_AS_A_LOCATION = {"/%2F%2Fevil.example", "%2F%2Fevil.example", "%09//evil.example",
                          "\uff48\uff54\uff54\uff50\uff53://evil.example"}


def test_the_check_used_by_these_tests_catches_every_hostile_address():
    assert stays_on_site("/what-is-it.htm?comment=abc#comment-1")
    assert stays_on_site("http://testserver/admin/")
    assert all(stays_on_site(url) for url in HARMLESS_AS_A_LOCATION)
    assert not any(stays_on_site(url) for url in HOSTILE if url not in HARMLESS_AS_A_LOCATION)


# --- /go/: only the partner's stored address, and only a plain http(s) one --------------

@pytest.mark.parametrize("url", [
    "https://shop.partner.example/item?ref=wisegeek",
    "http://partner.example/",
    "https://bücher.example/angebot",
    "https://partner.example:8443/a/b?c=d#e",
])
def test_a_plain_web_address_may_be_a_partners_destination(url):
    assert is_web_address(url)


@pytest.mark.parametrize("url", [
    *DISGUISED, *WITH_CREDENTIALS, *CODE, *HEADER_INJECTION, "ftp://partner.example/file", "https://",
    "https:///path", "mailto:someone@example.com", "/go/elsewhere", "", "https://partner.example/\u200b",
])
def test_an_address_a_browser_could_read_differently_is_never_a_destination(url):
    assert not is_web_address(url)


def go(client, slug, **query):
    return client.get(f"/go/{slug}?{urlencode(query)}", headers={"user-agent": "Mozilla/5.0 Firefox/133.0"})


@pytest.mark.parametrize("destination", DISGUISED + WITH_CREDENTIALS + CODE + HEADER_INJECTION)
def test_go_never_sends_a_reader_to_a_destination_that_is_not_a_plain_web_address(client, destination):
    link = PartnerLinkFactory(slug="offer")
    # As a shell or update() could store it: no form checks it on the way in.
    PartnerLink.objects.filter(pk=link.pk).update(destination=destination)
    response = go(client, "offer")
    assert response.status_code == 302
    assert response["Location"] == link.partner.website  # the partner's own site instead


@pytest.mark.parametrize("website", ["javascript:alert(1)", "//evil.example", "https://site@evil.example"])
def test_go_sends_a_reader_back_to_the_article_when_neither_address_is_a_plain_web_address(client, website):
    article = ArticleFactory()
    link = PartnerLinkFactory(slug="offer", destination="data:text/html,hi")
    AffiliatePartner.objects.filter(pk=link.partner.pk).update(website=website)
    response = go(client, "offer", **{"from": source_token(article)})
    assert response["Location"] == article.get_absolute_url()
    PartnerLink.objects.filter(pk=link.pk).update(is_active=False)
    assert go(client, "offer")["Location"] == reverse("articles:home")


@pytest.mark.parametrize("target", HOSTILE)
def test_no_parameter_chooses_where_go_sends_a_reader(client, target):
    link = PartnerLinkFactory(slug="offer")
    for slug in ("offer", "no-such-offer"):
        for name in ("next", "url", "to", "redirect_to", "return", "from"):
            response = go(client, slug, **{name: target})
            assert response["Location"] in {link.destination, reverse("articles:home")}, (slug, name)


# --- The site's own redirects --------------------------------------------------------------

def with_return_parameters(target: str) -> dict:
    return {name: target for name in ("next", "return", "return_to", "redirect_to", "url")}


@pytest.mark.parametrize("target", HOSTILE)
def test_a_comment_sends_its_writer_back_to_the_article_whatever_it_asks(client, target):
    article = ArticleFactory()
    response = post_comment(client, article, **with_return_parameters(target))
    assert response.status_code == 302
    assert response["Location"].startswith(article.get_absolute_url() + "?comment=")


@pytest.mark.parametrize("target", HOSTILE)
def test_a_newsletter_signup_goes_to_check_your_inbox_whatever_it_asks(client, target):
    url = reverse("newsletter:signup") + "?" + urlencode(with_return_parameters(target))
    response = client.post(url, {"email": "reader@example.com", "source": "footer", "website": "",
                                 **with_return_parameters(target)})
    assert response.status_code == 302
    assert response["Location"] == reverse("newsletter:check_inbox")


@pytest.mark.parametrize("target", HOSTILE)
def test_an_old_article_address_leads_to_the_article_on_this_site(client, target):
    article = ArticleFactory(slug="old-name")
    article.slug = "new-name"
    article.save()
    response = client.get("/old-name.htm?" + urlencode(with_return_parameters(target)))
    assert response.status_code == 301
    assert response["Location"] == Article.objects.get().get_absolute_url() == "/new-name.htm"


@pytest.mark.parametrize("path", ["//evil.example", "///evil.example", "//evil.example/about", "/\\evil.example",
                                  "/\\/evil.example"])
def test_a_flat_page_stored_at_an_address_like_another_sites_is_not_a_way_there(client, path):
    """Asked for without its slash, a flat page is redirected to with the slash added, and
    that redirect repeats the path asked for: it must not become one to another site."""
    page = FlatPage.objects.create(url=path + "/", title="Odd", content="<p>Odd.</p>")
    page.sites.add(Site.objects.get_current())
    response = client.get("/", PATH_INFO=path)
    assert response.status_code == 404 or stays_on_site(response["Location"])  # a backslash goes as %5C


def test_a_page_without_its_slash_is_redirected_to_itself_on_this_site(client, policy_pages):
    response = client.get("/about")
    assert (response.status_code, response["Location"]) == (301, "/about/")


def test_the_favicon_redirect_points_at_our_own_static_file(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].startswith(settings.STATIC_URL)


def test_the_https_redirect_goes_only_to_our_own_host(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/about/")
    assert (response.status_code, response["Location"]) == (301, "https://testserver/about/")
    response = client.get("/about/", headers={"host": "evil.example"})
    assert response.status_code == 400 and "Location" not in response


# --- The admin's sign-in and sign-out ------------------------------------------------------

@pytest.fixture
def editor(django_user_model, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast sign-ins
    return django_user_model.objects.create_user("editor", password="a-long-password-1", is_staff=True)


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_in_to_the_admin_never_follows_a_next_off_the_site(client, editor, target):
    login = reverse("admin:login")
    page = client.get(login, {"next": target})
    assert page.status_code == 200
    assert "<script>" not in page.content.decode()  # the next it carries is escaped
    response = client.post(login + "?" + urlencode({"next": target}),
                           {"username": "editor", "password": "a-long-password-1", "next": target})
    assert response.status_code == 302
    assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE)
def test_signing_out_of_the_admin_never_follows_a_next_off_the_site(client, editor, target):
    client.force_login(editor)
    response = client.post(reverse("admin:logout") + "?" + urlencode({"next": target}), {"next": target})
    assert response.status_code in {200, 302}
    if response.status_code == 302:
        assert stays_on_site(response["Location"]), response["Location"]
    assert "_auth_user_id" not in client.session


def test_a_signed_in_editor_sent_to_the_sign_in_page_goes_to_the_admin_not_to_next(client, editor):
    client.force_login(editor)
    for target in HOSTILE:
        response = client.get(reverse("admin:login"), {"next": target})
        assert stays_on_site(response.get("Location", "/")), target

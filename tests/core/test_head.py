"""HEAD works wherever GET does (load balancers and uptime checks use it): the same
status and headers, and no body."""

import pytest

pytestmark = pytest.mark.django_db

# Headers that may differ between two responses to the same request.
VOLATILE = {"Date", "Expires", "Set-Cookie", "Content-Length"}


@pytest.fixture
def pages(article):
    return [
        "/", article.get_absolute_url(), article.category.get_absolute_url(), article.author.get_absolute_url(),
        "/affiliate-partners/", "/about/", "/search/?q=back", "/feed/", "/sitemap.xml", "/robots.txt",
        "/healthz", "/newsletter/", "/newsletter/check-your-inbox/",
    ]


def test_head_answers_like_get_with_no_body(client, pages):
    for url in pages:
        get = client.get(url)
        head = client.head(url)
        assert get.status_code == 200, url
        assert head.status_code == 200, url
        assert head.content == b"", url
        same = {k: v for k, v in get.headers.items() if k not in VOLATILE}
        assert {k: v for k, v in head.headers.items() if k not in VOLATILE} == same, url


def test_head_on_the_signup_page_signs_nobody_up(client, django_user_model):
    from newsletter.models import Subscriber

    assert client.head("/newsletter/", {"email": "someone@example.com"}).status_code == 200
    assert not Subscriber.objects.exists()

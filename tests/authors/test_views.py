import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db


def test_author_page_shows_profile_and_articles(client, article):
    response = client.get(article.author.get_absolute_url())
    html = response.content.decode()
    assert "<h1>Maya Okafor</h1>" in html
    assert "Registered Nurse, BSN" in html
    assert article.title in html


def test_author_bio_is_sanitized(client, policy_pages):
    author = AuthorFactory(bio='<p>Nurse</p><img src=x onerror=alert(1)>')
    author.refresh_from_db()
    assert "onerror" not in author.bio
    assert "onerror" not in client.get(author.get_absolute_url()).content.decode()


def test_author_photo_must_be_an_image(policy_pages):
    author = AuthorFactory()
    author.photo = SimpleUploadedFile("me.jpg", b"not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        author.full_clean()
    assert "photo" in error.value.message_dict


def test_unknown_author_is_404(client, policy_pages):
    assert client.get("/author/nobody/").status_code == 404


def test_author_page_lists_only_their_published_articles_newest_first(client, article):
    author = article.author
    older = ArticleFactory(author=author, title="Older piece", publish_at=timezone.now() - datetime.timedelta(days=30))
    ArticleFactory(author=author, title="Secret draft", status=Article.Status.DRAFT)
    ArticleFactory(title="Another writer piece")
    html = client.get(author.get_absolute_url()).content.decode()
    assert html.find(article.title) < html.find(older.title)
    assert "Secret draft" not in html and "Another writer piece" not in html


def test_author_social_links_must_be_web_addresses(policy_pages):
    author = AuthorFactory(social_links="https://social.example/@maya\njavascript:alert(1)")
    with pytest.raises(ValidationError) as error:
        author.full_clean()
    assert "social_links" in error.value.message_dict

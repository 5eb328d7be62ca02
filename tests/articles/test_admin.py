import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.forms import form_fields
from tests.factories import ArticleFactory, AuthorFactory, CategoryFactory

pytestmark = pytest.mark.django_db


def article_form(category, author, **overrides):
    # The start of today: in the past, and on today's date at any hour (an hour ago was
    # yesterday just after midnight, and the Updated-date rules then read differently).
    publish_at = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    data = {
        "title": "How Do Vaccines Train the Immune System?",
        "slug": "how-do-vaccines-train-the-immune-system",
        "category": category.pk,
        "author": author.pk,
        "reviewer": "",
        "summary": "A plain explanation of immune memory.",
        "body": "<h2>Memory</h2><p>Cells <strong>remember</strong>.</p><script>alert(1)</script>",
        "featured_image_alt": "",
        "status": "draft",
        "publish_at_0": publish_at.strftime("%Y-%m-%d"),
        "publish_at_1": publish_at.strftime("%H:%M:%S"),
        "updated_on": timezone.localdate().isoformat(),
        "comments_open": "on",
        "seo_title": "",
        "seo_description": "",
        # The comments inline's management form.
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_editor_writes_a_draft_then_publishes_it(staff_client, client, policy_pages):
    category, author = CategoryFactory(name="Health"), AuthorFactory()
    response = staff_client.post(reverse("admin:articles_article_add"), article_form(category, author))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="how-do-vaccines-train-the-immune-system")
    assert article.body == "<h2>Memory</h2><p>Cells <strong>remember</strong>.</p>"

    from django.test import Client

    reader = Client()
    assert reader.get(article.get_absolute_url()).status_code == 404

    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(category, author, status="published", loaded_version=article.version),
    )
    assert response.status_code == 302
    assert reader.get(article.get_absolute_url()).status_code == 200
    assert article.title in reader.get("/").content.decode()
    assert article.title in reader.get(category.get_absolute_url()).content.decode()


def test_duplicate_slug_is_refused_on_the_field(staff_client):
    existing = ArticleFactory()
    response = staff_client.post(
        reverse("admin:articles_article_add"),
        article_form(existing.category, existing.author, slug=existing.slug),
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "slug" in errors and "already exists" in errors["slug"][0]
    assert Article.objects.count() == 1


def test_empty_title_is_refused_on_the_field(staff_client):
    response = staff_client.post(
        reverse("admin:articles_article_add"), article_form(CategoryFactory(), AuthorFactory(), title="   ")
    )
    assert response.status_code == 200
    assert "title" in response.context["adminform"].form.errors
    assert not Article.objects.exists()


def test_editing_a_stored_article_with_bad_input_keeps_what_was_stored(staff_client):
    article = ArticleFactory(title="Original title")
    response = staff_client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        article_form(article.category, article.author, title="", slug=article.slug, loaded_version=article.version),
    )
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.title == "Original title"


def test_publish_action_moves_a_stale_draft_to_today(staff_client):
    draft = ArticleFactory(status=Article.Status.DRAFT, publish_at=timezone.now() - datetime.timedelta(days=9))
    staff_client.post(reverse("admin:articles_article_changelist"),
                      {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.publish_at > timezone.now() - datetime.timedelta(minutes=1)
    assert draft.updated_on >= timezone.localdate(draft.publish_at)


def test_publish_action_keeps_a_schedule(staff_client):
    later = timezone.now() + datetime.timedelta(days=3)
    scheduled = ArticleFactory(status=Article.Status.DRAFT, publish_at=later, updated_on=timezone.localdate(later))
    staff_client.post(reverse("admin:articles_article_changelist"),
                      {"action": "publish", "_selected_action": [scheduled.pk]})
    scheduled.refresh_from_db()
    assert scheduled.status == Article.Status.PUBLISHED and scheduled.publish_at == later
    assert not scheduled.is_public


def test_every_save_is_kept_in_history_and_can_be_restored(staff_client):
    article = ArticleFactory(title="First")
    article.title = "Second"
    article.save()
    assert [h.title for h in article.history.all()] == ["Second", "First"]
    first = article.history.earliest()
    url = reverse("admin:articles_article_simple_history", args=[article.pk, first.history_id])
    page = staff_client.get(url)
    assert page.status_code == 200 and "First" in page.content.decode()
    # The editor presses "Save" on the old version's form, as it is shown to them.
    response = staff_client.post(url, form_fields(page.content.decode(), "historicalarticle_form"))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.title == "First"
    assert article.history.count() == 3


@pytest.mark.parametrize(
    "name",
    ["articles_article", "articles_category", "authors_author", "partners_affiliatepartner", "flatpages_flatpage"],
)
def test_admin_lists_search_and_add_forms_work(staff_client, name, article):
    app_model = name
    assert staff_client.get(reverse(f"admin:{app_model}_changelist")).status_code == 200
    assert staff_client.get(reverse(f"admin:{app_model}_changelist"), {"q": "sciatica"}).status_code == 200
    add = staff_client.get(reverse(f"admin:{app_model}_add"))
    assert add.status_code == 200


def test_article_form_uses_the_ckeditor_5_editor(staff_client):
    html = staff_client.get(reverse("admin:articles_article_add")).content.decode()
    assert "django_ckeditor_5/dist/bundle.js" in html
    assert 'class="django_ckeditor_5"' in html
    assert reverse("articles:editor_upload") in html


def test_policy_pages_are_sanitized_when_saved_in_admin(staff_client, policy_pages):
    page = policy_pages[0]
    response = staff_client.post(
        reverse("admin:flatpages_flatpage_change", args=[page.pk]),
        {"url": page.url, "title": "About us", "content": '<p onclick="x">Hi</p><script>bad()</script>',
         "sites": [1], "template_name": ""},
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.content == "<p>Hi</p>"


def test_database_refuses_an_unknown_status():
    from django.db import IntegrityError, transaction

    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(status="deleted")

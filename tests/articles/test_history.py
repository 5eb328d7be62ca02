"""The article's history in the admin: who changed what, and any two versions compared."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from articles.diff import Part, html_tokens, side_by_side, text_tokens
from articles.models import Article
from tests.factories import ArticleFactory, CategoryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_superuser(
        "maya", "maya@example.com", "a-long-password-1", first_name="Maya", last_name="Okafor"
    )


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def save_version(article, *, user=None, reason=None, **changes):
    """Save ``article`` with ``changes`` as ``user`` would from the admin; its new version."""
    for name, value in changes.items():
        setattr(article, name, value)
    article._history_user = user
    article._change_reason = reason
    article.save()
    return article.history.order_by("-history_date", "-history_id").first()


def store_body(version, body):
    """Give a stored version this exact HTML, as an older sanitizer may have written it
    (saving an article cleans its body again)."""
    Article.history.filter(pk=version.pk).update(body=body)


def compare(client, article, older, newer):
    url = reverse("admin:articles_article_history_compare", args=[article.pk])
    return client.get(url, {"from": older.pk, "to": newer.pk})


def text_of(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_a_word_changed_in_the_body_shows_deleted_then_inserted(editor_client, editor):
    article = ArticleFactory(body="<h2>Memory</h2><p>Immune cells remember old invaders.</p>")
    first = save_version(article, user=editor)
    second = save_version(article, user=editor, body="<h2>Memory</h2><p>Immune cells remember new invaders.</p>")

    response = compare(editor_client, article, first, second)

    assert response.status_code == 200
    page = text_of(response)
    assert "Immune cells remember <del>old</del> invaders." in page
    assert "Immune cells remember <ins>new</ins> invaders." in page
    assert "No change to the text" not in page


def test_versions_given_newest_first_still_show_the_older_on_the_left(editor_client, editor):
    article = ArticleFactory(body="<p>Before the edit.</p>")
    first = save_version(article, user=editor)
    second = save_version(article, user=editor, body="<p>After the edit.</p>")

    page = text_of(compare(editor_client, article, second, first))

    assert page.index("<del>Before</del>") < page.index("<ins>After</ins>")


def test_attribute_order_alone_is_no_change_to_the_text(editor_client, editor):
    article = ArticleFactory()
    first = save_version(article, user=editor)
    second = save_version(article, user=editor, reason="Sanitizer upgrade")
    store_body(first, '<p>Read <a rel="noopener" href="https://example.com/guide" title="Guide">the guide</a>.</p>')
    store_body(second, '<p>Read <a title="Guide" href="https://example.com/guide" rel="noopener">the guide</a>.</p>')

    page = text_of(compare(editor_client, article, first, second))

    assert "No change to the text." in page
    assert "<del>" not in page and "<ins>" not in page


def test_whitespace_and_entities_alone_are_no_change_to_the_text(editor_client, editor):
    article = ArticleFactory()
    first = save_version(article, user=editor)
    second = save_version(article, user=editor)
    store_body(first, "<h2>Memory</h2><p>Cells &amp; antibodies remember.</p><ul><li>One</li></ul>")
    store_body(second, "<h2>Memory</h2>\n\n<p>Cells  &#38;\n antibodies remember. </p>\n<ul>\n  <li>One</li>\n</ul>\n")

    page = text_of(compare(editor_client, article, first, second))

    assert "No change to the text." in page


def test_a_long_body_is_compared_in_full(editor_client, editor):
    paragraphs = [" ".join(f"word{p}x{w}" for w in range(100)) for p in range(55)]
    article = ArticleFactory(body="".join(f"<p>{paragraph}</p>" for paragraph in paragraphs))
    first = save_version(article, user=editor)
    assert len(article.body.split()) > 5000
    changed = article.body.replace("word54x98", "changedword")
    second = save_version(article, user=editor, body=changed)

    page = text_of(compare(editor_client, article, first, second))

    assert "<del>word54x98</del>" in page and "<ins>changedword</ins>" in page
    assert "word54x99" in page  # the last word, after the change
    assert "word0x0" in page  # and the first
    assert "chars]" not in page


def test_title_and_summary_changes_show_word_by_word(editor_client, editor):
    article = ArticleFactory(title="What Is Sciatica?", summary="Pain along the nerve.")
    first = save_version(article, user=editor)
    second = save_version(article, user=editor, title="What Is Sciatica Really?", summary="Pain along the sciatic nerve.")

    page = text_of(compare(editor_client, article, first, second))

    assert "What Is <del>Sciatica?</del>" in page
    assert "What Is <ins>Sciatica Really?</ins>" in page
    assert "Pain along the <ins>sciatic</ins> nerve." in page


def test_other_changed_fields_are_listed_old_then_new(editor_client, editor):
    article = ArticleFactory(status=Article.Status.DRAFT, category=CategoryFactory(name="Health"))
    first = save_version(article, user=editor)
    second = save_version(article, user=editor, status=Article.Status.PUBLISHED, category=CategoryFactory(name="Fitness"))

    page = text_of(compare(editor_client, article, first, second))

    assert '<th scope="row">Status</th><td>Draft → Published</td>' in page
    assert '<th scope="row">Category</th><td>Health → Fitness</td>' in page
    assert "No change to the text." in page


def test_a_version_of_another_article_is_404(editor_client, editor):
    article, other = ArticleFactory(), ArticleFactory()
    mine = save_version(article, user=editor)
    theirs = save_version(other, user=editor)

    assert compare(editor_client, article, theirs, mine).status_code == 404
    assert compare(editor_client, other, theirs, mine).status_code == 404


def test_unknown_or_malformed_version_ids_are_404(editor_client, editor):
    article = ArticleFactory()
    version = save_version(article, user=editor)
    url = reverse("admin:articles_article_history_compare", args=[article.pk])

    assert editor_client.get(url, {"from": version.pk, "to": 999999}).status_code == 404
    assert editor_client.get(url, {"from": version.pk, "to": "latest"}).status_code == 404
    assert editor_client.get(url, {"from": version.pk, "to": "9" * 30}).status_code == 404
    assert editor_client.get(url, {"from": version.pk}).status_code == 404
    missing = reverse("admin:articles_article_history_compare", args=[999999])
    assert editor_client.get(missing, {"from": version.pk, "to": version.pk}).status_code == 404
    too_large = reverse("admin:articles_article_history_compare", args=["9" * 30])
    assert editor_client.get(too_large, {"from": version.pk, "to": version.pk}).status_code == 404


def test_staff_without_view_permission_are_refused(client, django_user_model, editor):
    article = ArticleFactory()
    first = save_version(article, user=editor)
    second = save_version(article, user=editor, title="Changed")
    clerk = django_user_model.objects.create_user("clerk", "clerk@example.com", "a-long-password-1", is_staff=True)
    clerk.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(clerk)

    assert compare(client, article, first, second).status_code == 403


def test_staff_with_view_permission_may_compare(client, django_user_model, editor):
    article = ArticleFactory()
    first = save_version(article, user=editor)
    second = save_version(article, user=editor, title="Changed")
    reader = django_user_model.objects.create_user("reader", "reader@example.com", "a-long-password-1", is_staff=True)
    reader.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(reader)

    assert compare(client, article, first, second).status_code == 200


def history_page(client, article):
    response = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert response.status_code == 200
    return text_of(response)


def test_history_list_shows_who_when_and_the_change_note(editor_client, editor):
    article = ArticleFactory()
    save_version(article, user=editor)
    save_version(article, user=editor, reason="Fixed the dosage table", title="New title")

    page = history_page(editor_client, article)

    assert "<td>Fixed the dosage table</td>" in page
    assert "<td>—</td>" in page  # the version saved without a note
    assert ">None<" not in page
    assert "maya (Maya Okafor)" in page


def test_history_list_picks_two_versions_and_links_each_to_the_one_before(editor_client, editor):
    article = ArticleFactory()
    first = save_version(article, user=editor)
    second = save_version(article, user=editor, title="Second title")
    third = save_version(article, user=editor, body="<p>Third body.</p>")
    compare_url = reverse("admin:articles_article_history_compare", args=[article.pk])

    page = history_page(editor_client, article)

    assert f'<form method="get" action="{compare_url}">' in page
    assert 'value="Compare selected versions"' in page
    assert re.search(rf'name="to" value="{third.pk}"[^>]* checked', page)
    assert re.search(rf'name="from" value="{second.pk}"[^>]* checked', page)
    assert f"{compare_url}?from={second.pk}&amp;to={third.pk}" in page
    assert f"{compare_url}?from={first.pk}&amp;to={second.pk}" in page
    # Each version names what changed, and nothing is cut short.
    assert "Body (<a" in page and "Title (<a" in page
    assert "chars]" not in page
    # simple-history's links to view and revert each version are still there.
    assert reverse("admin:articles_article_simple_history", args=[article.pk, first.pk]) in page


def test_history_list_says_no_change_when_only_the_markup_differs(editor_client, editor):
    article = ArticleFactory()
    first = save_version(article, user=editor)
    second = save_version(article, user=editor)
    store_body(first, '<p><a href="https://example.com/" title="x">A link</a></p>')
    store_body(second, '<p><a title="x" href="https://example.com/">A link</a></p>')

    page = history_page(editor_client, article)

    assert "No change (<a" in page


def test_the_compare_link_of_the_last_row_on_a_page_reaches_the_next_page(editor_client, editor, settings):
    from articles.admin import ArticleAdmin

    article = ArticleFactory()
    versions = [save_version(article, user=editor, title=f"Title {n}") for n in range(3)]
    compare_url = reverse("admin:articles_article_history_compare", args=[article.pk])
    per_page = ArticleAdmin.history_list_per_page
    ArticleAdmin.history_list_per_page = 2
    try:
        page = history_page(editor_client, article)
    finally:
        ArticleAdmin.history_list_per_page = per_page

    # The factory's own save is the oldest version; the page shows the two newest.
    assert f"{compare_url}?from={versions[0].pk}&amp;to={versions[1].pk}" in page


# The diff itself, without the admin.

def test_links_show_their_address_and_images_their_alt_text():
    tokens = html_tokens('<p>See <a href="https://example.com/a">the guide</a>.</p><p><img src="/m/spine.jpg" alt="A spine"></p>')

    assert [token.text for token in tokens if token.kind != "break"] == [
        "See", "the", "guide", "[→ https://example.com/a]", ".", "[image: A spine (spine.jpg)]",
    ]


def test_a_changed_link_address_is_a_change():
    old = html_tokens('<p><a href="https://example.com/a">the guide</a></p>')
    new = html_tokens('<p><a href="https://example.com/b">the guide</a></p>')

    [row] = side_by_side(old, new)

    assert row.changed
    assert [part.text for part in row.old[0] if part.op == "delete"] == ["[→ https://example.com/a]"]
    assert [part.text for part in row.new[0] if part.op == "insert"] == ["[→ https://example.com/b]"]


def test_blocks_stay_apart_and_unchanged_ones_line_up():
    old = html_tokens("<h2>Memory</h2><p>Same.</p><ul><li>One</li><li>Two</li></ul>")
    new = html_tokens("<h2>Memory</h2><p>Same.</p><ul><li>One</li><li>Three</li></ul>")

    rows = side_by_side(old, new)

    assert [[part.text for paragraph in row.old for part in paragraph] for row in rows] == [
        ["[h2] Memory"], ["Same."], ["• One"], ["•", "Two"],
    ]
    assert [row.changed for row in rows] == [False, False, False, True]
    assert rows[3].new == [[Part("equal", "•"), Part("insert", "Three")]]


def test_two_paragraphs_joined_show_the_lost_break():
    [row] = side_by_side(html_tokens("<p>One.</p><p>Two.</p>"), html_tokens("<p>One. Two.</p>"))

    assert row.old == [[Part("equal", "One."), Part("delete", "¶")], [Part("equal", "Two.")]]
    assert row.new == [[Part("equal", "One. Two.")]]


def test_plain_text_is_compared_as_words():
    [row] = side_by_side(text_tokens("A <b> title"), text_tokens("A <b>  title!"))

    assert [(part.op, part.text) for part in row.new[0]] == [("equal", "A <b>"), ("insert", "title!")]


def test_history_list_columns_are_named_as_in_the_change_list(editor_client, editor):
    article = ArticleFactory()
    save_version(article, user=editor)

    page = history_page(editor_client, article)

    assert '<th scope="col">Status</th><th scope="col">Updated</th>' in page

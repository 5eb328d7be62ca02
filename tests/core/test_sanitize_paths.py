"""Rich text is safe on the page whatever wrote it.

``SanitizedHTMLField`` cleans on ``save()``, but ``QuerySet.update()``, ``bulk_update()``,
``loaddata`` and raw SQL never call it; the pages clean again as they render
(``core.html.render_rich_text`` behind the ``rich_text`` filter). Each writer puts the
same hostile HTML into an article's body, an author's bio and a policy page's content,
and the public page is parsed for anything a browser would run or obey.
"""

import json
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Callable

import pytest
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article
from authors.models import Author
from tests.dom import parse
from tests.factories import AffiliatePartnerFactory, ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

KEPT = "Words the editor meant"
HOSTILE = (
    f"<p>{KEPT}</p>"
    '<script>alert("script")</script>'
    '<img src="x" onerror="alert(1)">'
    '<p><a href="javascript:alert(1)">javascript link</a> <a href=" JaVa&#115;cript:alert(1)">encoded</a></p>'
    '<meta http-equiv="refresh" content="0;url=https://evil.example">'
    '<iframe src="https://evil.example"></iframe>'
    "<style>body{display:none}</style>"
    '<p style="position:fixed;inset:0">covering</p>'
    "<svg onload=\"alert(1)\"><circle r='1'></circle></svg>"
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(2)">'
)


@dataclass
class Target:
    model: type
    field: str
    make: Callable[[], object]
    url: Callable[[object], str]


def make_policy_page():
    page, _ = FlatPage.objects.get_or_create(url="/about/", defaults={"title": "About", "content": "<p>x</p>"})
    page.sites.add(Site.objects.get_current())
    return page


TARGETS = {
    "article body": Target(Article, "body", ArticleFactory, lambda a: a.get_absolute_url()),
    "author bio": Target(Author, "bio", AuthorFactory, lambda a: a.get_absolute_url()),
    "policy page content": Target(FlatPage, "content", make_policy_page, lambda p: p.url),
}


# --- The writers -----------------------------------------------------------------------

class _AdminForm(HTMLParser):
    """The values a browser would submit from the admin's change form, unchanged."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._in_form = False
        self._textarea = self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id", "").endswith("_form"):
            self._in_form = True
        if not self._in_form or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"file", "submit", "button"}:
            if attrs.get("type") not in {"checkbox", "radio"} or "checked" in attrs:
                self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def write_through_admin(client, target: Target, obj) -> None:
    opts = target.model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    form = _AdminForm()
    form.feed(client.get(url).content.decode())
    form.data[target.field] = [HOSTILE]
    response = client.post(url, form.data)
    assert response.status_code == 302, response.content.decode()[:3000]


def write_with_save(target, obj):
    setattr(obj, target.field, HOSTILE)
    obj.save()


def write_with_update(target, obj):
    target.model.objects.filter(pk=obj.pk).update(**{target.field: HOSTILE})


def write_with_bulk_update(target, obj):
    setattr(obj, target.field, HOSTILE)
    target.model.objects.bulk_update([obj], [target.field])


def write_with_loaddata(target, obj, tmp_path):
    rows = json.loads(serializers.serialize("json", [obj]))
    rows[0]["fields"][target.field] = HOSTILE
    fixture = tmp_path / "hostile.json"
    fixture.write_text(json.dumps(rows))
    call_command("loaddata", str(fixture), verbosity=0)


def write_with_raw_sql(target, obj):
    table = connection.ops.quote_name(target.model._meta.db_table)
    column = connection.ops.quote_name(target.model._meta.get_field(target.field).column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {column} = %s WHERE id = %s", [HOSTILE, obj.pk])


@pytest.fixture
def editor_client(django_user_model):
    """A client signed in as an editor, apart from the anonymous reader's ``client``."""
    user = django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    editor = Client()
    editor.force_login(user)
    return editor


WRITERS = ["admin form", "save()", "QuerySet.update()", "bulk_update()", "loaddata", "raw SQL"]


@pytest.mark.parametrize("writer", WRITERS)
@pytest.mark.parametrize("target_name", list(TARGETS))
def test_hostile_rich_text_is_inert_on_the_public_page_whatever_wrote_it(
    client, editor_client, tmp_path, target_name, writer
):
    target = TARGETS[target_name]
    obj = target.make()
    if writer == "admin form":
        write_through_admin(editor_client, target, obj)
    elif writer == "save()":
        write_with_save(target, obj)
    elif writer == "QuerySet.update()":
        write_with_update(target, obj)
    elif writer == "bulk_update()":
        write_with_bulk_update(target, obj)
    elif writer == "loaddata":
        write_with_loaddata(target, obj, tmp_path)
    else:
        write_with_raw_sql(target, obj)

    response = client.get(target.url(obj))
    assert response.status_code == 200
    page = parse(response.content)
    assert page.live_hostile_html() == []
    assert KEPT in page.text, "the editor's own words must survive the cleaning"
    assert "alert(" not in page.text, "script content is dropped, not shown"


def test_partner_links_are_marked_after_cleaning_and_a_hostile_rel_is_not_kept(client):
    AffiliatePartnerFactory(domains="shop.example")
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(
        body='<p><a href="https://shop.example/x" rel="dofollow" onclick="steal()">buy</a> '
        '<a href="https://elsewhere.example/" rel="sponsored noopener">other</a></p>'
    )

    page = parse(client.get(article.get_absolute_url()).content)

    links = {e.attrs["href"]: e.attrs for e in page.find("a") if "example/" in e.attrs.get("href", "")}
    assert links["https://shop.example/x"] == {"href": "https://shop.example/x", "rel": "sponsored noopener"}
    assert links["https://elsewhere.example/"] == {"href": "https://elsewhere.example/"}


"""Full-text search (articles/search.py): what a reader finds, in which order, whatever
they type; and that each engine's index is really what answers."""

import datetime
import html
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.search import SQLITE_TOKENIZE
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CARD_TITLE = re.compile(r'<h3 class="card__title"><a href="[^"]*">([^<]*)</a></h3>')


def found(client, query: str, page: int | None = None) -> list[str]:
    """The titles the search page lists for ``query``, in the order shown."""
    params = {"q": query, **({"page": page} if page else {})}
    response = client.get("/search/", params)
    assert response.status_code == 200, (query, response.status_code)
    return [html.unescape(title) for title in CARD_TITLE.findall(response.content.decode())]


def test_a_title_match_ranks_above_a_summary_match_above_a_body_only_match(client, policy_pages):
    # Oldest first: without ranking the newest (the body-only match) would come first.
    ArticleFactory(title="Caring for a quokka", summary="Small marsupials.",
                   publish_at=timezone.now() - datetime.timedelta(days=30))
    ArticleFactory(title="Island animals", summary="Why the quokka smiles.",
                   publish_at=timezone.now() - datetime.timedelta(days=20))
    ArticleFactory(title="Rottnest travel guide", summary="Ferries and bikes.",
                   body="<p>Bring water. A quokka may come close; do not feed it. Quokka rules apply.</p>",
                   publish_at=timezone.now() - datetime.timedelta(days=10))
    ArticleFactory(title="Nothing to do with it")

    assert found(client, "quokka") == ["Caring for a quokka", "Island animals", "Rottnest travel guide"]


def test_every_word_must_be_in_the_article(client, policy_pages):
    ArticleFactory(title="Why do cats purr?")
    ArticleFactory(title="Why do dogs bark?")
    assert found(client, "cats purr") == ["Why do cats purr?"]
    assert found(client, "cats bark") == []


def test_a_plural_finds_the_singular_and_back(client, policy_pages):
    ArticleFactory(title="How long does a phone battery last?")
    ArticleFactory(title="Charging", body="<p>Charge your batteries slowly.</p>")
    assert found(client, "batteries") == ["How long does a phone battery last?", "Charging"]
    assert sorted(found(client, "battery")) == ["Charging", "How long does a phone battery last?"]


def test_words_inside_tags_and_attributes_and_entity_names_are_not_found(client, policy_pages):
    ArticleFactory(
        title="Seasoning",
        body='<h2 id="anchor">Salt &amp; pepper</h2><p>Use <strong>coarse</strong> salt&nbsp;flakes, see '
             '<a href="https://zanzibar.example/spices" title="quixotic">this shop</a>.</p>'
             '<figure class="image"><img src="/media/uploads/tumeric.png" alt="jars" width="40" height="30"></figure>',
    )
    for hidden in ["href", "strong", "zanzibar", "spices", "quixotic", "title", "figure", "image", "tumeric",
                   "media", "width", "amp", "nbsp", "anchor", "h2"]:
        assert found(client, hidden) == [], hidden
    for shown in ["salt pepper", "coarse", "flakes", "shop"]:
        assert found(client, shown) == ["Seasoning"], shown


HOSTILE = [
    '"', '""', '"unbalanced quote', "it's", "a\"b", "NEAR(cats dogs)", "NEAR", "cats*", "*", "^cats",
    "title:cats", "body:", ":", "-cats", "--", "-", "(", ")", "((cats)", "cats OR", "OR", "AND", "NOT",
    "cats AND NOT dogs", "{title summary}: cats", "' OR 1=1 --", "'; DROP TABLE articles_article; --",
    "%", "_", "\\", "\x00", "cats\x00dogs", "x" * 10_000, "cats " * 2_000, "café naïve 東京 Ελληνικά",
    "🙂", "🔋 batteries", "👩‍👩‍👧", "\u200b", "\u0301", "<script>alert(1)</script>", "&amp;",
    # websearch and tsquery syntax, on either engine
    "cats & dogs", "cats | dogs", "!cats", "!!", "cats:*", "cats:A", "cats <-> dogs", "cats <2> dogs", "&|!():*",
    "(cats OR dogs) AND NOT mice", '"cats dogs', 'cats -"and dogs', '-"cats and dogs"', "-cats -dogs", "or or",
    "cats or", "or -cats", "cats or -dogs", '"-cats"', 'x-"cats"', '""cats""', "cats -",
    # control, format and right-to-left characters
    "\x01\x02\x1b[31m\x7f", "cats\r\ndogs\t", "\u202ecats\u202c", "\ufeffcats", "\ue000cats\ue001",
    "قطط وكلاب", "חתולים", "cats \u200f\u061c dogs",
    "<mark>", "mark", "</mark><script>", "\"><img src=x onerror=alert(1)>",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_whatever_a_reader_types_the_search_page_answers(client, policy_pages, query):
    ArticleFactory(title="Cats and dogs", body="<p>Cats and dogs, mark my words.</p>")
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert b"<script>alert(1)</script>" not in response.content
    assert b"<script" not in response.content.split(b"<main", 1)[-1]
    assert b"<img src=x" not in response.content


@pytest.mark.parametrize("query_string", [
    "q=%ED%A0%80", "q=cats%ED%A0%80dogs", "q=%FF%FE", "q=%C0%AF", "q=%", "q=%%", "q=%2", "q=cats&q=dogs",
    "q=cats&q=", "q[]=cats", "q", "q=&q=cats", "q=" + "%22" * 500, "q=%00" * 100,
])
def test_whatever_a_query_string_holds_the_search_page_answers(client, policy_pages, query_string):
    ArticleFactory(title="Cats and dogs")
    response = client.get("/search/?" + query_string)
    assert response.status_code == 200
    assert b'<meta name="robots" content="noindex">' in response.content


def test_of_two_queries_the_page_searches_the_last(client, policy_pages):
    ArticleFactory(title="Cats")
    ArticleFactory(title="Dogs")
    page = client.get("/search/?q=cats&q=dogs").content.decode()
    assert [html.unescape(title) for title in CARD_TITLE.findall(page)] == ["Dogs"]


@pytest.mark.parametrize("query", ['battery"', '"battery', "battery*", "(battery)", "battery:", "battery^",
                                   "{battery}", "battery;"])
def test_search_syntax_typed_around_a_word_still_finds_the_word(client, policy_pages, query):
    ArticleFactory(title="How long does a phone battery last?")
    assert found(client, query) == ["How long does a phone battery last?"]


def test_operator_words_are_searched_as_words(client, policy_pages):
    # On SQLite these would be FTS5 operators; on PostgreSQL "not" is a stop word.
    ArticleFactory(title="The near side of the moon is not dark")
    ArticleFactory(title="The moon landing")
    assert found(client, "moon NOT near") == ["The near side of the moon is not dark"]
    assert found(client, "NEAR moon") == ["The near side of the moon is not dark"]


@pytest.mark.parametrize(("query", "titles"), [
    ('"red wine"', ["Red wine and cheese"]),
    ('"red wine', ["Red wine and cheese"]),  # a quote left open runs to the end
    ('"wine red"', []),
    ("wine -red", ["White wine"]),
    ("wine - red", ["White wine"]),
    ('wine -"red wine"', ["White wine", "Wine that is not red"]),
    ("cheese or white", ["Red wine and cheese", "White wine"]),
    ("cheese OR white", ["Red wine and cheese", "White wine"]),
    ("cheese or", ["Red wine and cheese"]),
    ("red cheese or white -wine", ["Red wine and cheese"]),
    ("-red", []),  # only leaving out finds nothing
    ("-red -white", []),
    ("e-wine", []),  # a hyphen inside a word leaves nothing out
])
def test_phrases_alternatives_and_exclusions_work_alike_on_both_engines(client, policy_pages, query, titles):
    ArticleFactory(title="Red wine and cheese")
    ArticleFactory(title="Wine that is not red")
    ArticleFactory(title="White wine")
    assert sorted(found(client, query)) == titles


def test_an_article_changed_with_update_is_found_by_its_new_words_at_once(client, policy_pages):
    article = ArticleFactory(title="Old title about otters")
    assert found(client, "otters") == ["Old title about otters"]
    Article.objects.filter(pk=article.pk).update(title="New title about beavers", body="<p>Dams.</p>")
    assert found(client, "beavers") == ["New title about beavers"]
    assert found(client, "dams") == ["New title about beavers"]
    assert found(client, "otters") == []


def test_an_article_saved_is_found_by_its_new_words_at_once(client, policy_pages):
    article = ArticleFactory(title="Otters", summary="River animals.")
    found(client, "river")
    article.summary = "Sea animals."
    article.body = "<p>They hold hands while sleeping.</p>"
    article.save()
    assert found(client, "river") == []
    assert found(client, "sea") == ["Otters"]
    assert found(client, "sleeping") == ["Otters"]


def test_articles_bulk_created_are_found_and_deleted_ones_are_not(client, policy_pages):
    template = ArticleFactory.build()
    template.category.save()
    template.author.save()
    Article.objects.bulk_create([
        Article(title=f"Bulk walrus {n}", slug=f"bulk-walrus-{n}", category=template.category,
                author=template.author, summary="Tusks.", body="<p>Ice.</p>", status=Article.Status.PUBLISHED,
                publish_at=timezone.now() - datetime.timedelta(days=n + 1))
        for n in range(3)
    ])
    assert found(client, "walrus") == ["Bulk walrus 0", "Bulk walrus 1", "Bulk walrus 2"]
    Article.objects.get(slug="bulk-walrus-1").delete()
    Article.objects.filter(slug="bulk-walrus-2").delete()
    assert found(client, "walrus") == ["Bulk walrus 0"]
    assert found(client, "tusks ice") == ["Bulk walrus 0"]


def test_unpublished_and_scheduled_articles_are_not_found(client, policy_pages):
    ArticleFactory(title="Narwhal facts")
    ArticleFactory(title="Narwhal draft", status=Article.Status.DRAFT)
    ArticleFactory(title="Narwhal in review", status=Article.Status.REVIEW)
    ArticleFactory(title="Narwhal tomorrow", publish_at=timezone.now() + datetime.timedelta(days=1))
    assert found(client, "narwhal") == ["Narwhal facts"]
    # The queryset keeps to the rule by itself, whoever calls it.
    assert [article.title for article in Article.objects.search("narwhal")] == ["Narwhal facts"]


def test_results_are_paginated_in_rank_order(client, policy_pages, settings):
    settings.ARTICLES_PER_PAGE = 10
    ArticleFactory(title="Penguin", publish_at=timezone.now() - datetime.timedelta(days=100))
    for n in range(11):
        ArticleFactory(title=f"Bird number {n}", body="<p>A penguin is a bird.</p>",
                       publish_at=timezone.now() - datetime.timedelta(days=n + 1))
    response = client.get("/search/", {"q": "penguin"})
    assert "12 articles found." in response.content.decode()
    first, second = found(client, "penguin"), found(client, "penguin", page=2)
    assert len(first) == 10 and len(second) == 2
    assert first[0] == "Penguin"  # the title match, though it is the oldest
    assert first[1:] + second == [f"Bird number {n}" for n in range(11)]
    assert client.get("/search/", {"q": "penguin", "page": 3}).status_code == 404


def queries_for(client, query: str, page: int = 1) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": query, "page": page})
    assert response.status_code == 200
    assert response.content.count(b"<mark>") >= 3, "the results' snippets are shown"
    return [query["sql"] for query in queries.captured_queries]


def test_the_search_page_runs_the_same_few_queries_for_few_or_many_results(client, policy_pages):
    lemur = "<p>The lemur lives on Madagascar.</p>"
    ArticleFactory.create_batch(3, title="Lemur one", body=lemur)
    client.get("/search/", {"q": "nothing"})  # fills the navigation and partner caches
    few = queries_for(client, "lemur")
    ArticleFactory.create_batch(22, title="Lemur again", body=lemur)
    client.get("/search/", {"q": "nothing"})  # new categories: the navigation is read again
    many, second_page = queries_for(client, "lemur"), queries_for(client, "lemur", page=2)
    # The count, the page's articles with their category and author (none has an image),
    # then the page's texts for the snippets.
    assert len(few) == len(many) == len(second_page) == 3, (few, many, second_page)


def test_the_results_page_keeps_its_title_its_noindex_and_the_query_in_the_search_box(client, policy_pages):
    ArticleFactory(title="How do tides work?")
    page = client.get("/search/", {"q": ' tides  "work '}).content.decode()
    assert re.search(r"<title>Search: tides &quot;work \| [^<]+</title>", page)
    assert page.count('<meta name="robots" content="noindex">') == 1
    assert re.findall(r'<input[^>]* name="q" value="([^"]*)"', page) == ["tides &quot;work"]
    assert "1 article found." in page


def test_a_search_that_finds_nothing_says_so_once(client, policy_pages):
    ArticleFactory(title="How do tides work?")
    page = client.get("/search/", {"q": "zebras"}).content.decode()
    assert "No article matched. Try fewer or different words" in page
    assert 'class="cards"' not in page and "found." not in page and ">Results<" not in page


@pytest.mark.parametrize("query_string", ["", "?q=", "?q=%20%20", "?q=%00"])
def test_the_search_page_without_words_asks_for_some(client, policy_pages, query_string):
    ArticleFactory(title="How do tides work?")
    page = client.get("/search/" + query_string).content.decode()
    assert "Type a few words in the search box above." in page
    assert "<title>Search | " in page and 'class="cards"' not in page and "No article matched" not in page


def test_a_query_of_nothing_but_symbols_finds_nothing(client, policy_pages):
    ArticleFactory(title="Cats")
    assert found(client, "?! -- 🙂 ***") == []
    assert Article.objects.search("").count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_migration_indexes_the_articles_already_there():
    ArticleFactory(title="Axolotl basics", body="<p>They regrow <em>limbs</em>.</p>")
    executor = MigrationExecutor(connection)
    executor.migrate([("articles", "0007_featured_image_dimensions_stored")])
    try:
        executor.loader.build_graph()
        executor.migrate([("articles", "0008_article_search")])
    finally:
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("articles"))
    assert [a.title for a in Article.objects.search("axolotl limbs")] == ["Axolotl basics"]
    # And the index is kept from then on.
    ArticleFactory(title="Axolotl colours")
    assert Article.objects.search("axolotl").count() == 2


# --- Each engine's index ----------------------------------------------------------------

@pytest.mark.postgres
def test_postgresql_finds_matches_through_the_gin_index(policy_pages):
    article = ArticleFactory(title="Tardigrades survive space")
    Article.objects.bulk_create([
        Article(title=f"Other article {n}", slug=f"other-{n}", category=article.category, author=article.author,
                summary="Something else.", body="<p>Not about them.</p>", status=Article.Status.PUBLISHED,
                publish_at=article.publish_at)
        for n in range(500)
    ])
    with connection.cursor() as cursor:
        cursor.execute("SELECT gin_clean_pending_list('articles_article_search_document')")  # as VACUUM would
        cursor.execute("ANALYZE articles_article")
        # A few hundred rows fit in a few pages, which PostgreSQL rightly reads whole (at
        # 100,000 it takes the index by itself: bench/search.py). Here, the question is
        # whether the query's condition is one the GIN index answers.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = Article.objects.published().for_listing().search("tardigrades").explain()
    assert "Bitmap Index Scan on articles_article_search_document" in plan, plan


@pytest.mark.sqlite
def test_sqlite_finds_matches_through_the_fts5_table(policy_pages):
    ArticleFactory(title="Tardigrades survive space")
    queryset = Article.objects.published().for_listing().search("tardigrades")
    plan = [line.split(" ", 3)[3] for line in queryset.explain().splitlines()]
    # The full-text table once, then each match's article by its key; never every article.
    assert plan[0].startswith("SCAN articles_article_search VIRTUAL TABLE INDEX"), plan
    assert "SEARCH articles_article USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan


@pytest.mark.sqlite
def test_sqlite_reads_fts5_operators_as_words(client, policy_pages):
    # PostgreSQL leaves "and", "not" and "near" out as stop words; SQLite requires them.
    ArticleFactory(title="Cats and dogs")
    ArticleFactory(title="Cats")
    assert found(client, "cats AND dogs") == ["Cats and dogs"]
    assert found(client, "cats NOT dogs") == []  # FTS5's NOT would have found "Cats"
    assert found(client, "NEAR(cats dogs)") == []
    assert found(client, "cats*") == ["Cats", "Cats and dogs"]  # no prefix search: the word itself
    assert found(client, "title:cats") == []  # no column filter: "title" is a word


@pytest.mark.sqlite
def test_sqlite_snippets_mark_words_with_the_indexs_own_tokenizer():
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_article_search'")
        (table,) = cursor.fetchone()
    assert f"tokenize='{SQLITE_TOKENIZE}'" in " ".join(table.split()), table


@pytest.mark.sqlite
def test_sqlite_index_holds_exactly_the_articles_there_are_after_every_kind_of_write(db):
    first, second, third = ArticleFactory.create_batch(3, body="<p>Salt &amp; <em>pepper</em>.</p>")
    Article.objects.filter(pk=first.pk).update(body="<h2>New</h2><p>Body &lt;here&gt;&nbsp;now.</p>")
    second.title = "A new title"
    second.save()
    third.delete()
    Article.objects.filter(pk=first.pk).delete()
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid FROM articles_article_search ORDER BY rowid")
        indexed = [row[0] for row in cursor.fetchall()]
        # Fails if a 'delete' ever removed other words than the ones indexed.
        cursor.execute("INSERT INTO articles_article_search(articles_article_search, rank) VALUES ('integrity-check', 0)")
    assert indexed == [second.pk]


@pytest.mark.sqlite
def test_sqlite_full_text_triggers_survive_every_migration(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles_article'")
        triggers = {row[0] for row in cursor.fetchall()}
    assert triggers >= {
        "articles_article_search_insert", "articles_article_search_update", "articles_article_search_delete",
    }, ("A migration rebuilt articles_article on SQLite and dropped the full-text search triggers: "
        "it must create them again and refill the index (sqlite_index_drop and sqlite_index_create "
        "in articles/migrations/0008_article_search.py).")

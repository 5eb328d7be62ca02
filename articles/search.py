"""Full-text search of articles, ranked, on PostgreSQL and on SQLite.

``ArticleQuerySet.search()`` is the way in; it returns a queryset of articles in rank
order that counts and slices like any other (the search page paginates it). Each engine
has an index that finds the matching articles without reading the others, so a search
costs about the same on a site of 1,000 articles as on one of 100,000 when the words are
rare; a word found in most articles still costs in proportion to how many it is in,
because every match is ranked (bench/search.py measures both).

What is searched, on both engines: the title (weighted most), the summary, and the text
of the body without its HTML (words inside tags and attributes, "href", "strong", a
link's address, are not found). The database itself keeps the index up to date, so
every writer is covered: ``save()``, ``update()``, ``bulk_create()``, fixtures, a COPY or
a hand-written ``UPDATE`` in dbshell.

PostgreSQL: ``articles_article.search_document``, a tsvector column the database
computes itself (``GENERATED ALWAYS ... STORED``: title weight A, summary B, body text C,
English stemming: "batteries" finds "battery") and a GIN index on it, both made by
migration 0008. Django does not know the column (a model field would be read with every
article); ``SearchDocument`` names it in queries. The reader's words go through
``websearch_to_tsquery``, which accepts anything typed ("quoted phrases", ``or``,
``-word``) and never fails on syntax. PostgreSQL refuses to change the type of a column
the generated one reads (title, summary, body): such a migration drops
``search_document`` first and adds it again.

SQLite: ``articles_article_search``, an FTS5 table without content of its own (porter
stemming, accents folded), filled by triggers on articles_article that strip the tags
in SQL, so they work from any connection, not only Django's; queries join it through a
view, ``ArticleSearchEntry`` (migration 0008 makes all three). Ranked with bm25 weighted
like PostgreSQL's. Each of the reader's words becomes a quoted FTS5 string and all are
required, so nothing typed is FTS5 syntax. When Django rebuilds articles_article on
SQLite (some AddField / AlterField migrations copy the table into a new one), the
triggers go with the old table: ``tests/articles/test_search.py`` fails then, and the
migration doing it must run ``sqlite_index_drop`` and ``sqlite_index_create`` from 0008,
which rebuild the index.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Expression, F, Func, Value

# How much a word counts where it is found; both engines rank with these.
WEIGHTS = {"title": 1.0, "summary": 0.4, "body": 0.2}
# More words than this add nothing a reader meant and cost a term each.
MAX_WORDS = 8
# PostgreSQL's text search configuration (stemming, stop words) for documents and queries.
CONFIG = "english"


class SearchDocument(Expression):
    """``articles_article.search_document``, PostgreSQL's generated tsvector column."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def matching(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """The articles of ``queryset`` that match every word of ``text``, best first."""
    words = ["".join(ch for ch in word if ch.isprintable()) for word in text.split()[:MAX_WORDS]]
    words = [word for word in words if word]
    if not words:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _postgresql(queryset, " ".join(words))
    if vendor == "sqlite":
        return _sqlite(queryset, words)
    raise NotImplementedError(f"Article search supports PostgreSQL and SQLite, not {vendor}.")


def _postgresql(queryset, text: str):
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    # ts_rank's weights are listed D, C, B, A; D is not used.
    weights = [0.0, WEIGHTS["body"], WEIGHTS["summary"], WEIGHTS["title"]]
    return (
        queryset.alias(search_document=SearchDocument())
        .filter(search_document=query)  # search_document @@ query, which the GIN index answers
        .annotate(search_rank=SearchRank(F("search_document"), query, weights=weights))
        .order_by("-search_rank", "-publish_at", "-pk")
    )


def _sqlite(queryset, words: list[str]):
    # A quoted FTS5 string is only ever words: its tokenizer splits it ("e-mail" is the
    # phrase "e mail"), and nothing inside it is an operator. A word with no letter or
    # digit (punctuation, emoji) would be an empty phrase: left out.
    strings = ['"' + word.replace('"', '""') + '"' for word in words if any(ch.isalnum() for ch in word)]
    if not strings:
        return queryset.none()
    document = F("search_entry__document")
    return (
        # FTS5 reads "<table> = 'query'" as "<table> MATCH 'query'".
        queryset.filter(search_entry__document=" ".join(strings))
        .annotate(search_rank=Func(
            document, *(Value(WEIGHTS[column]) for column in ("title", "summary", "body")),
            function="bm25", output_field=models.FloatField(),
        ))
        .order_by("search_rank", "-publish_at", "-pk")  # bm25 is lower for a better match
    )

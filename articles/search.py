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

What a reader may type, on both engines (websearch style): words, all required;
"a quoted phrase", its words together and in order (an unclosed quote runs to the end);
``-word`` or ``-"a phrase"`` to leave out articles that have it; ``or`` between words
for either. Everything else is text: ``AND``, ``NOT``, ``NEAR``, ``*``, ``^``, ``:``,
brackets and the like are never syntax. A search that only leaves out (``-cats``) finds
nothing. Only the first ``MAX_WORDS`` words count.

PostgreSQL: ``articles_article.search_document``, a tsvector column the database
computes itself (``GENERATED ALWAYS ... STORED``: title weight A, summary B, body text C,
English stemming: "batteries" finds "battery") and a GIN index on it, both made by
migration 0008. Django does not know the column (a model field would be read with every
article); ``SearchDocument`` names it in queries. The reader's words go through
``websearch_to_tsquery``, which reads the syntax above and never fails on syntax;
English stop words ("the", "not", "how") are left out of the query. PostgreSQL refuses
to change the type of a column the generated one reads (title, summary, body): such a
migration drops ``search_document`` first and adds it again.

SQLite: ``articles_article_search``, an FTS5 table without content of its own (porter
stemming, accents folded), filled by triggers on articles_article that strip the tags
in SQL, so they work from any connection, not only Django's; queries join it through a
view, ``ArticleSearchEntry`` (migration 0008 makes all three). Ranked with bm25 weighted
like PostgreSQL's. ``_alternatives()`` reads the syntax above as websearch_to_tsquery
does, and ``_fts5_query()`` writes it with FTS5's own operators around quoted FTS5
strings, one per word or phrase: inside a quoted string nothing is an operator, so
nothing typed is FTS5 syntax. Two differences remain: SQLite has no stop words (every
word typed must be there), and an ``or`` whose one side only leaves out (``cats or
-dogs``) is read as the other side alone, where PostgreSQL would find every article
without dogs. When Django rebuilds articles_article on SQLite (some AddField /
AlterField migrations copy the table into a new one), the triggers go with the old
table: ``tests/articles/test_search.py`` fails then, and the migration doing it must run
``sqlite_index_drop`` and ``sqlite_index_create`` from 0008, which rebuild the index.
"""

from __future__ import annotations

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Expression, F, Func, Value

# How much a word counts where it is found; both engines rank with these.
WEIGHTS = {"title": 1.0, "summary": 0.4, "body": 0.2}
# More words than this add nothing a reader meant and cost a term each.
MAX_WORDS = 8
# PostgreSQL's text search configuration (stemming, stop words) for documents and queries.
CONFIG = "english"
# A word or phrase the reader typed: an optional "-" (leave out), then a quoted phrase
# (its closing quote optional) or a word (up to a space or a quote).
TERM = re.compile(r'(?P<minus>-+\s*)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')

class SearchDocument(Expression):
    """``articles_article.search_document``, PostgreSQL's generated tsvector column."""

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.base_table)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


def matching(queryset: models.QuerySet, text: str) -> models.QuerySet:
    """The articles of ``queryset`` that match ``text`` (every word of it, but for the
    syntax in the module docstring), best first."""
    words = _words(text)
    alternatives = _alternatives(words)
    if not alternatives:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _postgresql(queryset, " ".join(words))
    if vendor == "sqlite":
        return _sqlite(queryset, _fts5_query(alternatives))
    raise NotImplementedError(f"Article search supports PostgreSQL and SQLite, not {vendor}.")


def _words(text: str) -> list[str]:
    words = ["".join(ch for ch in word if ch.isprintable()) for word in text.split()[:MAX_WORDS]]
    return [word for word in words if word]


def _alternatives(words: list[str]) -> list[list[tuple[str, bool]]]:
    """``words`` read as websearch_to_tsquery reads them: alternatives (split by ``or``),
    each a list of (word or phrase, left out?) that must all hold. A word or phrase
    without a letter or digit says nothing and is dropped, and so is an alternative
    with nothing but words to leave out."""
    alternatives: list[list[tuple[str, bool]]] = [[]]
    for term in TERM.finditer(" ".join(words)):
        left_out = bool(term["minus"])
        if term["word"] is not None and term["word"].casefold() == "or" and not left_out:
            alternatives.append([])
            continue
        text = term["word"] if term["word"] is not None else term["phrase"]
        if any(ch.isalnum() for ch in text):
            alternatives[-1].append((text, left_out))
    return [terms for terms in alternatives if any(not left_out for _, left_out in terms)]


def _fts5_string(text: str) -> str:
    # Only ever words: FTS5's tokenizer splits a quoted string ("e-mail" is the phrase
    # "e mail"), and nothing inside it is an operator.
    return '"' + text.replace('"', '""') + '"'


def _fts5_query(alternatives: list[list[tuple[str, bool]]]) -> str:
    branches = []
    for terms in alternatives:
        branch = "(" + " AND ".join(_fts5_string(text) for text, left_out in terms if not left_out) + ")"
        for text, left_out in terms:
            if left_out:
                branch = f"({branch} NOT {_fts5_string(text)})"
        branches.append(branch)
    return " OR ".join(branches)


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


def _sqlite(queryset, fts5_query: str):
    document = F("search_entry__document")
    return (
        # FTS5 reads "<table> = 'query'" as "<table> MATCH 'query'".
        queryset.filter(search_entry__document=fts5_query)
        .annotate(search_rank=Func(
            document, *(Value(WEIGHTS[column]) for column in ("title", "summary", "body")),
            function="bm25", output_field=models.FloatField(),
        ))
        .order_by("search_rank", "-publish_at", "-pk")  # bm25 is lower for a better match
    )

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

Snippets: ``attach_snippets()`` gives each article of a page of results the text around
the reader's words, each word the engine matched in a ``<mark>``; where the body has
none of them, the summary. Which words match is the engine's own answer, so what is
marked is what was found, stems included ("tides" marks "tide" but not "tidal", which
neither stemmer takes for the same word), PostgreSQL's stop words not: its ``ts_headline``
(``HighlightAll``) over the whole text; on SQLite, whose contentless table cannot give
snippets, FTS5's ``highlight()`` over the page's texts put in an in-memory FTS5 table
with the index's tokenizer. (One Python path for both would need a stemmer, which the
project does not have, and would still mark words one engine or the other did not
match, PostgreSQL's stop words among them.) PostgreSQL marks each word of a phrase
wherever it is, FTS5 only the phrase. Either way one query reads the page's texts,
however many results there are. The engines mark the text with two private-use
characters taken out of it beforehand; the rest is one path in Python: the window of
``SNIPPET_LENGTH`` characters with the most different matches, started at its sentence
when that is near and else at a word, ended at a word, an ellipsis where text was left
out, the text escaped and only the marks made markup. The body's text is the one the
index reads, but that inline tags leave no space and a heading or list item ends with a
stop (``INLINE_TAG``, ``BLOCK_END``).
"""

from __future__ import annotations

import bisect
import html
import re
import sqlite3
from collections.abc import Sequence
from contextlib import closing

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connections, models
from django.db.models import Expression, F, Func, Value
from django.db.models.functions import Trim
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from core.html import TAG

# How much a word counts where it is found; both engines rank with these.
WEIGHTS = {"title": 1.0, "summary": 0.4, "body": 0.2}
# More words than this add nothing a reader meant and cost a term each.
MAX_WORDS = 8
# PostgreSQL's text search configuration (stemming, stop words) for documents and queries.
CONFIG = "english"
# The FTS5 tokenizer of migration 0008's table: snippets on SQLite mark words with it.
SQLITE_TOKENIZE = "porter unicode61 remove_diacritics 2"

# A word or phrase the reader typed: an optional "-" (leave out), then a quoted phrase
# (its closing quote optional) or a word (up to a space or a quote).
TERM = re.compile(r'(?P<minus>-+\s*)?(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')

# Inline elements leave no space where they were ("<a>shop</a>." reads "shop."); any
# other tag leaves one, so that two paragraphs do not run into one word. A heading, a
# list item or a paragraph that ends without a stop gets one ("Why tides. They rise").
# Python's and PostgreSQL's regular expressions read these alike.
INLINE_TAG = r"</?(a|b|code|em|i|s|strong|sub|sup|u)([\s/][^>]*)?>"
BLOCK_END = (r"([^.!?:;,\s>])\s*(</(h2|h3|h4|p|li|td|th|caption|figcaption|blockquote)>)", r"\1.\2")

# Spaces, tabs and line breaks (not a non-breaking space, which the author chose).
SPACES = r"[ \t\n\r\f]+"

# What the engines put around each match. Private-use characters, taken out of the text
# before it is marked, so each one in the result is theirs.
MATCH_START, MATCH_END = "\ue000", "\ue001"
# A snippet's length in characters (ellipses apart), and how much of it comes before
# the first match it shows, at most.
SNIPPET_LENGTH = 220
SNIPPET_LEAD = 60
# Windows tried, one starting at each of the first this many matches.
SNIPPET_TRIES = 50


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


def matching_any(queryset: models.QuerySet, words: list[str]) -> models.QuerySet:
    """The articles of ``queryset`` with any of ``words`` (letters and digits only, none
    of it syntax), those with more of them and in better places first: how "Related
    articles" finds titles that share words (``articles.related``)."""
    if not words:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    if vendor == "postgresql":
        return _postgresql(queryset, " or ".join(words))
    if vendor == "sqlite":
        return _sqlite(queryset, _fts5_query([[(word, False)] for word in words]))
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


# --- Snippets ----------------------------------------------------------------------------

Segments = list[tuple[str, bool]]  # pieces of a text, and whether each is a match


def attach_snippets(articles: Sequence[models.Model], text: str) -> None:
    """Set ``article.snippet`` on each of ``articles`` (a page of results for ``text``):
    HTML of the text around the reader's words, escaped, the words in ``<mark>``.

    One query reads the page's texts, whatever their number; none when there are none.
    """
    articles = list(articles)
    if not articles:
        return
    model, db = type(articles[0]), articles[0]._state.db
    rows = model._default_manager.db_manager(db).filter(pk__in=[article.pk for article in articles])
    rows = rows.order_by()
    words = _words(text)
    if connections[db].vendor == "postgresql":
        marked = _postgresql_marked(rows, " ".join(words))
    else:
        marked = _sqlite_marked(rows, _alternatives(words))
    for article in articles:
        summary, body = marked.get(article.pk, ([], []))
        if any(is_match for _, is_match in body) or not "".join(piece for piece, _ in summary).strip():
            article.snippet = _snippet(body)
        else:
            article.snippet = _snippet(summary)


def _without_marks(expression):
    return Func(expression, Value(MATCH_START + MATCH_END), Value(""), function="translate")


def _postgresql_marked(rows: models.QuerySet, text: str) -> dict[int, tuple[Segments, Segments]]:
    query = SearchQuery(text, config=CONFIG, search_type="websearch")
    # The texts on one line; the body's without its tags (see _body_text), its entities
    # decoded after marking.
    summary, body = _without_marks(F("summary")), _without_marks(F("body"))
    for pattern, replacement in [(INLINE_TAG, ""), BLOCK_END, (TAG.pattern, " ")]:
        body = Func(body, Value(pattern), Value(replacement), Value("g"), function="regexp_replace")

    def marked(expression):
        one_line = Trim(Func(expression, Value(SPACES), Value(" "), Value("g"), function="regexp_replace"))
        return SearchHeadline(one_line, query, config=CONFIG, highlight_all=True,
                              start_sel=MATCH_START, stop_sel=MATCH_END)

    found = rows.annotate(summary_marked=marked(summary), body_marked=marked(body))
    return {
        pk: (_segments(summary), [(html.unescape(piece), is_match) for piece, is_match in _segments(body)])
        for pk, summary, body in found.values_list("pk", "summary_marked", "body_marked")
    }


def _sqlite_marked(rows: models.QuerySet, alternatives) -> dict[int, tuple[Segments, Segments]]:
    def without_marks(text: str) -> str:
        return text.replace(MATCH_START, "").replace(MATCH_END, "")

    texts = [
        (pk, _one_line(without_marks(summary)), _one_line(_body_text(without_marks(body or ""))))
        for pk, summary, body in rows.values_list("pk", "summary", "body")
    ]
    # Any of the words or phrases to find marks where it is: "-word" is not marked.
    query = " OR ".join(
        _fts5_string(term) for terms in alternatives for term, left_out in terms if not left_out
    )
    # A text with none of the words is not among MATCH's rows: it stays unmarked.
    marked = {pk: (summary, body) for pk, summary, body in texts}
    if query:
        with closing(sqlite3.connect(":memory:")) as page:
            page.execute(f"CREATE VIRTUAL TABLE page USING fts5(summary, body, tokenize='{SQLITE_TOKENIZE}')")
            page.executemany("INSERT INTO page(rowid, summary, body) VALUES (?, ?, ?)", texts)
            for pk, summary, body in page.execute(
                "SELECT rowid, highlight(page, 0, ?1, ?2), highlight(page, 1, ?1, ?2) "
                "FROM page WHERE page MATCH ?3",
                (MATCH_START, MATCH_END, query),
            ):
                marked[pk] = (summary, body)
    return {pk: (_segments(summary), _segments(body)) for pk, (summary, body) in marked.items()}


def _body_text(body: str) -> str:
    """The text a reader sees in ``body`` (stored HTML)."""
    text = re.sub(BLOCK_END[0], BLOCK_END[1], re.sub(INLINE_TAG, "", body))
    return html.unescape(TAG.sub(" ", text))


def _one_line(text: str) -> str:
    return re.sub(SPACES, " ", text).strip(" ")


def _segments(marked: str) -> Segments:
    """``marked`` (text with MATCH_START and MATCH_END around each match) in pieces."""
    pieces = re.split(f"([{MATCH_START}{MATCH_END}])", marked)
    segments, is_match = [], False
    for piece in pieces:
        if piece in (MATCH_START, MATCH_END):
            is_match = piece == MATCH_START
        elif piece:
            segments.append((piece, is_match))
    return segments


def _snippet(segments: Segments) -> SafeString:
    """At most SNIPPET_LENGTH characters of ``segments``' text as HTML: where the most
    different matches are, cut at spaces, an ellipsis where text was left out."""
    text = "".join(piece for piece, _ in segments)
    matches, offset = [], 0
    for piece, is_match in segments:
        if is_match:
            matches.append((offset, offset + len(piece)))
        offset += len(piece)
    start, end = _window(text, matches)
    pieces, cursor = [], start
    for match_start, match_end in matches:
        match_start, match_end = max(match_start, start), min(match_end, end)
        if match_start < match_end:
            pieces += [(text[cursor:match_start], False), (text[match_start:match_end], True)]
            cursor = match_end
    pieces.append((text[cursor:end].rstrip(" ,;:") + "…" if end < len(text) else text[cursor:end], False))
    if start > 0:
        pieces.insert(0, ("…", False))
    # Every piece of the text is escaped here; only the marks are markup.
    return mark_safe("".join(f"<mark>{escape(piece)}</mark>" if is_match else escape(piece)
                             for piece, is_match in pieces))


def _window(text: str, matches: list[tuple[int, int]]) -> tuple[int, int]:
    if len(text) <= SNIPPET_LENGTH:
        return 0, len(text)
    anchor = _best_match(text, matches) if matches else 0
    start = max(0, min(anchor - SNIPPET_LEAD, len(text) - SNIPPET_LENGTH))
    if start > 0:
        # From the start of the match's sentence if it is near, else from a word.
        sentence_end = max(text.rfind(end, start, anchor) for end in (". ", "? ", "! "))
        space = text.find(" ", start, anchor)
        start = sentence_end + 2 if sentence_end != -1 else space + 1 if space != -1 else anchor
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", start, end + 1)
        if space > anchor:  # else one long word: cut it
            end = space
    return start, end


def _best_match(text: str, matches: list[tuple[int, int]]) -> int:
    """Where the window with the most different matched words starts (its first match);
    the earliest of equals."""
    starts = [match_start for match_start, _ in matches]
    best, most = starts[0], 0
    for index, match_start in enumerate(starts[:SNIPPET_TRIES]):
        last = bisect.bisect_left(starts, match_start + SNIPPET_LENGTH - SNIPPET_LEAD)
        different = len({text[s:e].casefold() for s, e in matches[index:last]})
        if different > most:
            best, most = match_start, different
    return best

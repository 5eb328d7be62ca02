"""Search results show the text around the reader's words, each word the engine matched
in a <mark>, and nothing else as markup (articles/search.py, attach_snippets): on
PostgreSQL and on SQLite alike."""

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from articles.search import SNIPPET_LENGTH
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@dataclass
class Result:
    title: str = ""
    pieces: list[tuple[str, bool]] = field(default_factory=list)  # the snippet's text, and which parts are marked
    tags: list[str] = field(default_factory=list)  # every element inside the snippet

    @property
    def text(self) -> str:
        return "".join(piece for piece, _ in self.pieces)

    @property
    def marked(self) -> list[str]:
        return [piece for piece, is_mark in self.pieces if is_mark]


class _Results(HTMLParser):
    """The search page's results as a reader's browser reads them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.results: list[Result] = []
        self.where: str | None = None  # "title", "snippet" or None
        self.depth = 0
        self.in_mark = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "article" and "card--result" in classes:
            self.results.append(Result())
        elif tag == "h3" and "card__title" in classes:
            self.where = "title"
        elif tag == "p" and "card__snippet" in classes:
            self.where, self.depth = "snippet", 0
        elif self.where == "snippet":
            self.results[-1].tags.append(tag)
            self.depth += 1
            self.in_mark = tag == "mark"

    def handle_endtag(self, tag):
        if self.where == "title" and tag == "h3":
            self.where = None
        elif self.where == "snippet":
            if self.depth == 0 and tag == "p":
                self.where = None
            else:
                self.depth -= 1
                self.in_mark = False

    def handle_data(self, data):
        if self.where == "title":
            self.results[-1].title += data
        elif self.where == "snippet":
            self.results[-1].pieces.append((data, self.in_mark))


def results(client, query: str) -> list[Result]:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200, query
    parser = _Results()
    parser.feed(response.content.decode())
    return parser.results


def only(client, query: str) -> Result:
    found = results(client, query)
    assert len(found) == 1, (query, [result.title for result in found])
    return found[0]


def words(count: int, start: int = 0) -> str:
    """Filler text, each word unique, none a piece of another: "w0x w1x w2x ..."."""
    return " ".join(f"w{n}x" for n in range(start, start + count))


def test_a_result_shows_the_text_around_the_word_found_with_the_word_marked(client, policy_pages):
    ArticleFactory(title="Island animals", body=f"<p>{words(100)} The quokka smiles. {words(100, 100)}</p>")

    result = only(client, "quokka")

    assert result.marked == ["quokka"]
    assert result.text.startswith("…") and result.text.endswith("…")
    assert "The quokka smiles." in result.text
    assert len(result.text) <= SNIPPET_LENGTH + 2


@pytest.mark.parametrize("before", range(1, 7))
def test_a_snippet_is_cut_between_words(client, policy_pages, before):
    # Words of every length before the match move where the window would start and end.
    leading = " ".join("y" * n for n in range(before, before + 6))
    ArticleFactory(title="Island animals", body=f"<p>{words(100)} {leading} The quokka smiles. {words(100, 100)}</p>")

    text = only(client, "quokka").text

    assert text.startswith("…") and text.endswith("…")
    every_word = set(words(200).split()) | set(leading.split()) | {"The", "quokka", "smiles."}
    assert set(text.strip("…").split()) <= every_word, text


def test_a_snippet_starts_at_the_sentence_of_the_word_found_when_it_is_near(client, policy_pages):
    ArticleFactory(title="Island animals", body=f"<p>{words(100)}. Small island, big smiles: the quokka lives here. "
                                                f"{words(100, 100)}</p>")

    assert only(client, "quokka").text.startswith("…Small island, big smiles: the quokka lives here. w100x")


def test_words_the_engine_takes_for_the_same_word_are_marked_and_others_are_not(client, policy_pages):
    ArticleFactory(title="The sea", body="<p>The tide turns twice a day. Tides are tidal; a tidy tidier.</p>")

    result = only(client, "tides")

    # Both engines stem "tides" and "tide" alike; neither takes "tidal" or "tidy" for it.
    assert [word.casefold() for word in result.marked] == ["tide", "tides"]


def test_every_word_of_the_query_is_marked_wherever_it_is(client, policy_pages):
    ArticleFactory(title="Sore backs", body="<p>Heat relaxes a sore back. Ice calms a fresh injury. Heat, then ice.</p>")

    result = only(client, "heat ice")

    assert [word.casefold() for word in result.marked] == ["heat", "ice", "heat", "ice"]


def test_the_snippet_shows_where_the_most_different_words_are_found(client, policy_pages):
    ArticleFactory(title="Sore backs", body=f"<p>Heat is nice. {words(80)} Use heat first and ice later. {words(80, 80)}</p>")

    result = only(client, "heat ice")

    assert "Use heat first and ice later." in result.text
    assert [word.casefold() for word in result.marked] == ["heat", "ice"]


def test_a_short_body_is_shown_whole_without_an_ellipsis(client, policy_pages):
    ArticleFactory(title="Tides", body="<h2>Why</h2><p>The Moon pulls the sea.</p>")

    assert only(client, "moon").text == "Why. The Moon pulls the sea."


def test_headings_and_list_items_end_with_a_stop_in_a_snippet(client, policy_pages):
    ArticleFactory(title="Tides", body="<h2>Why <em>tides</em> turn</h2><ul><li><p>First</p></li><li>Second?</li>"
                                       "<li>Third &amp;</li></ul><p>Moon</p>")

    assert only(client, "moon").text == "Why tides turn. First. Second? Third & Moon."


def test_where_the_body_lacks_the_words_the_summary_is_shown_with_them_marked(client, policy_pages):
    ArticleFactory(title="Island animals", summary="Why the quokka smiles.", body=f"<p>{words(100)}</p>")

    result = only(client, "quokka")

    assert result.text == "Why the quokka smiles."
    assert result.marked == ["quokka"]


def test_where_only_the_title_matched_the_summary_is_shown(client, policy_pages):
    ArticleFactory(title="Caring for a quokka", summary="Small marsupials of Rottnest.", body=f"<p>{words(100)}</p>")

    result = only(client, "quokka")

    assert result.text == "Small marsupials of Rottnest."
    assert result.marked == []


def test_a_snippet_is_the_articles_own_text_whatever_its_html(client, policy_pages):
    body = ('<h2>Salt &amp; pepper</h2><p>Use <strong>coarse</strong> salt&nbsp;flakes &lt;not&gt; fine, '
            '"quoted" and it\'s <a href="https://example.com/salt">this shop</a>.</p>\n\n<ul><li>One</li>'
            '<li>Two</li></ul><figure class="image"><img src="/media/x.png" alt="salt jars"></figure>'
            '<p>Café, naïve, 東京, מלח, 🧂.</p>')
    ArticleFactory(title="Seasoning", body=body)

    result = only(client, "salt")

    assert result.text == ('Salt & pepper. Use coarse salt\xa0flakes <not> fine, "quoted" and it\'s this shop. '
                           "One. Two. Café, naïve, 東京, מלח, 🧂.")
    assert [word.casefold() for word in result.marked] == ["salt", "salt"]


@pytest.mark.parametrize("query", ["<script>", "script", '"', '"mark"', "mark", "<mark>", "b", "amp", "lt",
                                   "quot", "&", "onerror"])
def test_markup_in_the_article_or_the_query_stays_text(client, policy_pages, query):
    ArticleFactory(
        title="Markup mark script b amp lt quot onerror",
        summary='A <b>summary</b> with <script>alert(1)</script> and "quotes" & <mark>mark</mark>.',
        body='<p>Write &lt;script&gt;alert(1)&lt;/script&gt; or &lt;mark&gt;mark&lt;/mark&gt; or '
             '&lt;img src=x onerror=alert(2)&gt; &amp; "quotes" &amp;amp; b.</p>',
    )

    for result in results(client, query):
        assert set(result.tags) <= {"mark"}, (query, result.tags)
        assert result.text.strip("…") in (
            'Write <script>alert(1)</script> or <mark>mark</mark> or <img src=x onerror=alert(2)> & "quotes" &amp; b.',
            'A <b>summary</b> with <script>alert(1)</script> and "quotes" & <mark>mark</mark>.',
        ), (query, result.text)


def test_the_engines_own_marks_in_an_article_are_only_text(client, policy_pages):
    # The private-use characters the engines mark matches with, stored in an article.
    ArticleFactory(title="Tides", summary="\ue000 Tides \ue001 rise", body="<p>\ue001 The Moon \ue000 pulls.</p>")

    assert only(client, "moon").pieces == [("The ", False), ("Moon", True), (" pulls.", False)]
    assert only(client, "tides").pieces == [("Tides", True), (" rise", False)]


def test_a_very_long_word_is_cut_to_the_snippets_length(client, policy_pages):
    ArticleFactory(title="Long", body=f"<p>{'x' * 5000} quokka {'y' * 5000}</p>")

    result = only(client, "quokka")

    assert result.marked == ["quokka"]
    assert len(result.text) <= SNIPPET_LENGTH + 2


def test_a_phrase_is_marked(client, policy_pages):
    ArticleFactory(title="Wine", body=f"<p>{words(50)} Red wine and cheese. {words(50, 50)}</p>")

    result = only(client, '"red wine"')

    # SQLite marks the phrase as one, PostgreSQL each of its words.
    assert " ".join(result.marked).casefold() == "red wine"


def test_the_snippets_are_the_results_own(client, policy_pages):
    for animal in ["quokka", "wombat", "numbat"]:
        ArticleFactory(title=f"About the {animal}", body=f"<p>The {animal} and the marsupial.</p>")

    found = results(client, "marsupial")

    assert {result.title: result.text for result in found} == {
        f"About the {animal}": f"The {animal} and the marsupial." for animal in ["quokka", "wombat", "numbat"]
    }


def test_the_snippet_html_is_one_paragraph_with_marks_only(client, policy_pages):
    ArticleFactory(title="Tides", body="<p>Tides rise &amp; fall.</p>")
    page = client.get("/search/", {"q": "tides"}).content.decode()
    snippet = re.search(r'<p class="card__snippet">(.*?)</p>', page, re.S).group(1)
    assert snippet == "<mark>Tides</mark> rise &amp; fall."
    assert html.unescape(re.sub("</?mark>", "", snippet)) == "Tides rise & fall."

"""Rich text: the one allow-list every piece of stored HTML goes through.

``clean_html`` runs when rich text is saved (``core.fields.SanitizedHTMLField``) and
again when it is shown (the ``rich_text`` template filter), so HTML written by a path
that skips ``save()`` (``QuerySet.update()``, ``bulk_update()``, fixtures) is still safe.
"""

import re
from collections.abc import Callable
from functools import lru_cache
from html.parser import HTMLParser

import nh3
from django.utils.safestring import SafeString, mark_safe

# What CKEditor 5, as we configure it, produces; everything else is dropped.
ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "hr", "code", "pre",
    "figure", "figcaption", "img",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "col": {"span"},
    "colgroup": {"span"},
}
ALLOWED_CLASSES = {
    "figure": {
        "image", "table", "image-style-align-left", "image-style-align-right",
        "image-style-align-center", "image-style-side", "image-style-block-align-left",
        "image-style-block-align-right",
    },
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

WORDS_PER_MINUTE = 225


# Cleaning is a pure function of the text, and the same bodies are shown again and
# again: each worker remembers its latest results instead of cleaning them every time.
@lru_cache(maxsize=128)
def clean_html(value: str | None) -> str:
    """Return ``value`` with everything outside the editor's allow-list removed.

    Scripts and styles lose their content as well as their tags; event handlers,
    ``style`` attributes and ``javascript:``/``data:`` URLs are dropped.
    """
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel=None,
        strip_comments=True,
    ).strip()


def render_rich_text(value: str | None, *, then: Callable[[str], str] | None = None) -> SafeString:
    """Stored rich text as HTML a page may print: cleaned now, whatever wrote it.

    This is the one place where stored HTML is marked safe; templates reach it through
    the ``rich_text`` filter. ``then`` may add to the cleaned HTML before it is marked
    (the article page adds ``rel`` to partner links, which the allow-list removes).
    """
    cleaned = clean_html(value)
    return mark_safe(then(cleaned) if then else cleaned)


# A tag of stored (sanitized, so well-formed) HTML: quoted attribute values never hold
# a bare ">" after nh3, which escapes it.
TAG = re.compile(r"<[^>]*>")


@lru_cache(maxsize=512)
def reading_minutes(value: str) -> int:
    # A regular expression, not Django's strip_tags (an HTML parser): this runs on every
    # article page rendered, and word counting needs no more precision.
    words = len(TAG.sub(" ", value or "").split())
    return max(1, round(words / WORDS_PER_MINUTE))


_VOID_ELEMENTS = frozenset({"area", "br", "col", "embed", "hr", "img", "input", "source", "track", "wbr"})


class _TopLevelBlocks(HTMLParser):
    def __init__(self, value: str):
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [match.end() for match in re.finditer("\n", value)]
        self.depth = 0
        self.open: tuple[str, int] | None = None
        self.blocks: list[tuple[str, int, int]] = []

    def position(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if self.depth == 0:
            start = self.position()
            if tag in _VOID_ELEMENTS:
                self.blocks.append((tag, start, start + len(self.get_starttag_text())))
                return
            self.open = (tag, start)
        if tag not in _VOID_ELEMENTS:
            self.depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth == 0:
            start = self.position()
            self.blocks.append((tag, start, start + len(self.get_starttag_text())))

    def handle_endtag(self, tag):
        if tag in _VOID_ELEMENTS or self.depth == 0:
            return
        self.depth -= 1
        if self.depth == 0 and self.open:
            end = self.rawdata.index(">", self.position()) + 1
            self.blocks.append((self.open[0], self.open[1], end))
            self.open = None


@lru_cache(maxsize=128)
def top_level_blocks(value: str) -> tuple[tuple[str, int, int], ...]:
    """The top-level elements of sanitized HTML as (tag, start, end) offsets, in order:
    the places where something can go between an article's paragraphs."""
    parser = _TopLevelBlocks(value)
    parser.feed(value)
    parser.close()
    return tuple(parser.blocks)

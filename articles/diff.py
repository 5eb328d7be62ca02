"""Two versions of a text, side by side, as an editor reads them.

Text is compared word by word, not as stored HTML: what the sanitizer may write
differently from one save to the next (the order of attributes, whitespace, entities)
is not a change. What the HTML means to a reader is kept: paragraphs, headings and list
items are separate blocks, a link shows its address and an image its alt text.

``html_tokens`` / ``text_tokens`` turn a value into tokens; ``side_by_side`` lines up two
token lists as rows of an older and a newer column.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher
from html.parser import HTMLParser
from typing import NamedTuple


class Token(NamedTuple):
    kind: str  # "word", "link", "image", "mark" (a heading, list item or rule) or "break"
    text: str  # what the editor sees


BREAK = Token("break", "")

# Elements that start and end a block of text of their own.
BLOCK_TAGS = frozenset({
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
    "blockquote", "pre", "figure", "figcaption", "table", "caption", "thead", "tbody",
    "tfoot", "tr", "th", "td", "section", "article", "header", "footer", "aside", "nav",
    "main", "address", "details", "summary",
})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Their content is not text a reader sees (the sanitizer removes them anyway).
HIDDEN_TAGS = frozenset({"script", "style", "template"})


class _Tokenizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[Token] = []
        self._text: list[str] = []
        self._links: list[str] = []  # the address of each <a> still open
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in HIDDEN_TAGS:
            self._hidden += 1
        elif tag in BLOCK_TAGS:
            self._break()
            if tag in HEADING_TAGS:
                self.tokens.append(Token("mark", f"[{tag}]"))
            elif tag == "li":
                self.tokens.append(Token("mark", "•"))
        elif tag == "br":
            self._break()
        elif tag == "hr":
            self._break()
            self.tokens.append(Token("mark", "———"))
            self._break()
        elif tag == "img":
            self._flush()
            alt = " ".join((attributes.get("alt") or "").split())
            name = (attributes.get("src") or "").rstrip("/").rsplit("/", 1)[-1]
            label = f"[image: {alt}" if alt else "[image without alt text"
            self.tokens.append(Token("image", f"{label} ({name})]" if name else f"{label}]"))
        elif tag == "a":
            self._links.append((attributes.get("href") or "").strip())

    def handle_endtag(self, tag):
        if tag in HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in BLOCK_TAGS:
            self._break()
        elif tag == "a" and self._links:
            # The address follows the link's words, as a reader meets them.
            self._flush()
            address = self._links.pop()
            if address:
                self.tokens.append(Token("link", f"[→ {address}]"))

    def handle_data(self, data):
        if not self._hidden:
            self._text.append(data)

    def close(self):
        super().close()
        self._flush()
        if self.tokens and self.tokens[-1] == BREAK:
            self.tokens.pop()

    def _flush(self):
        # Text split by inline tags ("re<strong>mark</strong>able") is still one word.
        self.tokens.extend(Token("word", word) for word in "".join(self._text).split())
        self._text.clear()

    def _break(self):
        self._flush()
        if self.tokens and self.tokens[-1] != BREAK:
            self.tokens.append(BREAK)


def html_tokens(value: str | None) -> list[Token]:
    """The words of an HTML fragment, with its blocks, link addresses and images' alt
    texts, as a reader meets them. Markup that reads the same gives the same tokens."""
    tokenizer = _Tokenizer()
    tokenizer.feed(value or "")
    tokenizer.close()
    return tokenizer.tokens


def text_tokens(value: str | None) -> list[Token]:
    """The words of plain text (a title, a summary)."""
    return [Token("word", word) for word in (value or "").split()]


@dataclass(frozen=True)
class Part:
    """Words of one side that are the same on both sides ("equal"), only in the older
    version ("delete") or only in the newer one ("insert")."""

    op: str
    text: str


@dataclass(frozen=True)
class Row:
    """A block of text as the older version had it (left) and the newer one has it
    (right): each side a list of paragraphs, each paragraph a list of parts."""

    old: list[list[Part]]
    new: list[list[Part]]
    changed: bool


# A paragraph break one side has and the other has not (two paragraphs joined, or one
# split), shown where it was or is.
PILCROW = "¶"


def side_by_side(old: list[Token], new: list[Token]) -> list[Row]:
    """Rows of the older and newer text, in full, with what changed marked.

    Blocks are lined up first, so an unchanged paragraph is one row however much
    changed around it; the words of the blocks that differ are then compared, and a
    block break both sides share starts a new row.
    """
    old_blocks, new_blocks = _blocks(old), _blocks(new)
    rows = []
    matcher = SequenceMatcher(None, old_blocks, new_blocks, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for block in old_blocks[i1:i2]:
                paragraph = [Part("equal", " ".join(token.text for token in block))]
                rows.append(Row(old=[paragraph], new=[paragraph], changed=False))
        else:
            rows.extend(_word_rows(_joined(old_blocks[i1:i2]), _joined(new_blocks[j1:j2])))
    return rows


def _blocks(tokens: list[Token]) -> list[tuple[Token, ...]]:
    blocks, current = [], []
    for token in tokens:
        if token == BREAK:
            if current:
                blocks.append(tuple(current))
            current = []
        else:
            current.append(token)
    if current:
        blocks.append(tuple(current))
    return blocks


def _joined(blocks: list[tuple[Token, ...]]) -> list[Token]:
    tokens = []
    for block in blocks:
        if tokens:
            tokens.append(BREAK)
        tokens.extend(block)
    return tokens


def _word_rows(old: list[Token], new: list[Token]) -> list[Row]:
    rows = []
    left: list[tuple[str, Token]] = []
    right: list[tuple[str, Token]] = []

    def end_row():
        if left or right:
            rows.append(Row(old=_paragraphs(left), new=_paragraphs(right), changed=True))
        left.clear()
        right.clear()

    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for token in old[i1:i2]:
                if token == BREAK:
                    end_row()
                else:
                    left.append(("equal", token))
                    right.append(("equal", token))
            continue
        left.extend(("delete", token) for token in old[i1:i2])
        right.extend(("insert", token) for token in new[j1:j2])
    end_row()
    return rows


def _paragraphs(side: list[tuple[str, Token]]) -> list[list[Part]]:
    """One side of a row as paragraphs of parts, neighbours with the same op joined."""
    paragraphs: list[list[Part]] = []
    words: list[tuple[str, str]] = []

    def end_paragraph():
        parts: list[Part] = []
        for op, text in words:
            if parts and parts[-1].op == op:
                parts[-1] = Part(op, f"{parts[-1].text} {text}")
            else:
                parts.append(Part(op, text))
        if parts:
            paragraphs.append(parts)
        words.clear()

    for op, token in side:
        if token == BREAK:
            words.append((op, PILCROW))
            end_paragraph()
        else:
            words.append((op, token.text))
    end_paragraph()
    return paragraphs

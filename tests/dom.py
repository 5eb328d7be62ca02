"""Reading a page the way a browser's tokenizer does: which elements and attributes are
live, and which characters are only text. Used by the tests that put hostile markup into
stored fields and look for it on public pages."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

# Legitimate URLs never start with these once whitespace and control characters (which
# browsers ignore inside a scheme) are removed.
_EXECUTABLE_SCHEMES = ("javascript:", "vbscript:", "data:")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "xlink:href", "poster", "background"}
# Elements our templates never write, so any of them on a public page came from content.
_FOREIGN_TAGS = {"script", "style", "iframe", "frame", "object", "embed", "svg", "math", "base", "applet"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Page:
    elements: list[Element] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Every character a reader sees as text (character references decoded)."""
        return "".join(self.texts)

    def find(self, tag: str | None = None, **attrs: str) -> list[Element]:
        return [
            e for e in self.elements
            if (tag is None or e.tag == tag) and all(e.attrs.get(k) == v for k, v in attrs.items())
        ]

    def attribute_values(self) -> list[str]:
        return [value for e in self.elements for value in e.attrs.values()]

    def shows(self, plain_text: str) -> bool:
        """``plain_text`` reached the page as characters (text or an attribute value), not markup."""
        return plain_text in self.text or plain_text in self.attribute_values()

    def live_hostile_html(self) -> list[str]:
        """What a browser would run or obey: foreign elements, event handlers, inline
        styles, executable URLs and refresh/redirect meta tags. Empty on a safe page."""
        found = []
        for e in self.elements:
            if e.tag == "script" and e.attrs.get("src", "").startswith("/static/"):
                pass  # our own script file (the CSP allows no other)
            elif e.tag == "script" and e.attrs == {"type": "application/ld+json"}:
                pass  # structured data, never run (tests/articles/test_structured_data.py reads it)
            elif e.tag in _FOREIGN_TAGS:
                found.append(f"<{e.tag}>")
            if e.tag == "meta" and "http-equiv" in e.attrs:
                found.append(f"<meta http-equiv={e.attrs['http-equiv']!r}>")
            for name, value in e.attrs.items():
                if name.startswith("on"):
                    found.append(f"<{e.tag} {name}=…>")
                elif name == "style":
                    found.append(f"<{e.tag} style=…>")
                elif name in _URL_ATTRIBUTES and _scheme_free(value).startswith(_EXECUTABLE_SCHEMES):
                    found.append(f"<{e.tag} {name}={value!r}>")
        return found


def _scheme_free(url: str) -> str:
    return re.sub(r"[\x00-\x20]", "", url).lower()


class _Tokenizer(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag, attrs):
        self.page.elements.append(Element(tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.page.texts.append(data)


def parse(html: str | bytes) -> Page:
    parser = _Tokenizer()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    parser.close()
    return parser.page

"""Reading what a subscriber sees: forms on a page, parts and links of an email."""

import re
import urllib.parse
from email.message import EmailMessage
from html.parser import HTMLParser

from newsletter.models import Subscriber


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._current = {"attrs": attrs, "fields": {}, "buttons": []}
            self.forms.append(self._current)
        elif self._current is not None and tag == "input":
            self._current["fields"][attrs.get("name")] = attrs.get("value") or ""
        elif self._current is not None and tag == "button":
            self._current["buttons"].append(attrs)

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_in(html: str | bytes) -> list[dict]:
    """Every form on a page: its attributes, its inputs (name → value) and its buttons."""
    parser = _Forms()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.forms


def text_and_html(message: EmailMessage) -> tuple[str, str]:
    """The plain-text and the HTML part of a received message, decoded."""
    return message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()


def header(message: EmailMessage, name: str) -> str:
    """A header's value, unfolded (long List-Unsubscribe values are folded on the wire)."""
    return " ".join(str(message[name]).split())


def list_unsubscribe_urls(message: EmailMessage) -> list[str]:
    return [part.strip().strip("<>") for part in header(message, "List-Unsubscribe").split(",")]


def links_in(text: str) -> list[str]:
    return re.findall(r"https?://[^\s<>\"']+", text)


def link_to(text: str, view: str) -> str:
    """The one link in ``text`` to /newsletter/<view>/<token>/."""
    found = {url for url in links_in(text) if f"/newsletter/{view}/" in url}
    assert len(found) == 1, found
    return found.pop()


def path_of(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def subscriber(address: str, status: str = Subscriber.Status.ACTIVE, **fields) -> Subscriber:
    return Subscriber.objects.create(email=address, status=status, **fields)

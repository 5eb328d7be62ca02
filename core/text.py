"""Plain-text helpers for places where a stray character breaks something."""

import unicodedata


def single_line(value: str, *, max_length: int | None = None) -> str:
    """``value`` on one line: line breaks, tabs and other control or format characters
    become spaces and runs of spaces collapse. For email headers above all (a subject
    with a line break raises BadHeaderError)."""
    cleaned = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(value))
    text = " ".join(cleaned.split())
    if max_length is not None and len(text) > max_length:
        text = text[: max_length - 1].rstrip() + "…"
    return text

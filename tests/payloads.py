"""The hostile-input corpus (tests/data/xss_payloads.txt), read for the tests that write
it into every field: tests/test_hostile_input.py and tests/e2e/test_hostile_pages.py."""

import re
from pathlib import Path

CORPUS = Path(__file__).parent / "data" / "xss_payloads.txt"
_ESCAPE = re.compile(r"\\(?:u\{([0-9A-Fa-f]{1,6})\}|(.))")
_ESCAPED = {"n": "\n", "r": "\r", "t": "\t", "0": "\0", "\\": "\\"}


def _unescape(line: str) -> str:
    def one(match):
        if match.group(1):
            return chr(int(match.group(1), 16))
        if match.group(2) not in _ESCAPED:
            raise ValueError(f"unknown escape \\{match.group(2)} in {line[:60]!r}")
        return _ESCAPED[match.group(2)]

    return _ESCAPE.sub(one, line)


def load_payloads() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").split("\n")
    return [_unescape(line) for line in lines if line and not line.startswith("#")]


PAYLOADS = load_payloads()


def packed(limit: int | None = None, per_value: int = 10) -> list[tuple[str, list[str]]]:
    """Every payload, in values of at most ``limit`` characters and ``per_value`` payloads:
    (value, the payloads in it). A payload longer than ``limit`` is cut to it, alone."""
    values, current = [], []

    def close():
        if current:
            values.append((" ".join(current), list(current)))
            current.clear()

    for payload in PAYLOADS:
        if limit is not None and len(payload) > limit:
            close()
            values.append((payload[:limit], [payload]))
            continue
        if current and (len(current) == per_value or
                        limit is not None and len(" ".join([*current, payload])) > limit):
            close()
        current.append(payload)
    close()
    return values

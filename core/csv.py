"""CSV files for editors' spreadsheets: streamed row by row, and safe to open."""

import csv
from collections.abc import Iterable, Iterator

from django.http import StreamingHttpResponse

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP's list:
# the four operators, and tab and carriage return, which some programs skip first).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text that a spreadsheet would run as a formula gets a leading apostrophe, which
    makes it plain text there (``=HYPERLINK(…)`` in a name stays a name)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() hands back the line, for streaming CSV."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[Iterable]) -> Iterator[str]:
    """The CSV file, line by line; ``None`` is an empty cell."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(["" if cell is None else spreadsheet_safe(cell) for cell in row])


def csv_response(lines: Iterator[str], filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

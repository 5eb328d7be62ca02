"""CSV exports open in editors' spreadsheets as text, never as formulas."""

import csv
import io

import pytest

from core.csv import csv_lines, spreadsheet_safe


@pytest.mark.parametrize("cell", ["=1+2", "+1+2", "-2+3", "@SUM(1+1)", "\t=1+2", "\r=1+2",
                                  '=HYPERLINK("https://evil.example","Click")'])
def test_a_cell_a_spreadsheet_would_run_is_written_as_text(cell):
    [_, row] = csv.reader(io.StringIO("".join(csv_lines(["value"], [[cell]]))))
    assert row == ["'" + cell]


@pytest.mark.parametrize("cell", ["reader@example.com", "Sam O'Neil", "1+2", " =1", "", 42, None])
def test_ordinary_cells_are_written_as_they_are(cell):
    assert spreadsheet_safe(cell) == cell

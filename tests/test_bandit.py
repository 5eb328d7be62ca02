"""The security linter bandit finds nothing in our code that has not been reviewed.

bandit runs on the whole repository as bandit.toml says (our apps, the project package
and their migrations; not tests/ or bench/). A finding passes only when bandit.toml's
[[reviewed]] list names its file, test and line with the reason it is safe, or when
its line says `# nosec BXXX: reason`. The code is the same whatever the database, so
this runs in the SQLite pass only.
"""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "bandit.toml"
# `# nosec B703: why` (one or more test ids, then a reason of a few words).
NOSEC = re.compile(r"#\s*nosec\b(?P<rest>.*)")
NOSEC_WITH_REASON = re.compile(r"\s+B\d{3}(\s*,\s*B\d{3})*:\s*\S.{9,}")

pytestmark = pytest.mark.sqlite


def reviewed() -> list[dict]:
    return tomllib.loads(CONFIG.read_text())["reviewed"]


def line_of(path: str, number: int) -> str:
    return (ROOT / path).read_text().splitlines()[number - 1].strip()


@pytest.fixture(scope="module")
def findings() -> list[dict]:
    """bandit's findings, each with its file relative to the repository and its line's code."""
    result = subprocess.run(
        [sys.executable, "-m", "bandit", "-q", "-c", str(CONFIG), "-r", ".", "-f", "json"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: it found something
    report = json.loads(result.stdout)
    assert report["errors"] == [], f"bandit could not read some files: {report['errors']}"
    assert report["metrics"]["_totals"]["loc"] > 1000, "bandit scanned almost nothing: is the configuration right?"
    return [
        {**finding, "file": finding["filename"].removeprefix("./"),
         "line": line_of(finding["filename"], finding["line_number"])}
        for finding in report["results"]
    ]


def is_reviewed(finding: dict, entry: dict) -> bool:
    return entry["file"] == finding["file"] and finding["test_id"] in entry["tests"] and entry["code"] == finding["line"]


def test_every_bandit_finding_has_a_reviewed_reason(findings):
    entries = reviewed()
    unreviewed = [f for f in findings if not any(is_reviewed(f, entry) for entry in entries)]
    assert not unreviewed, "bandit found:\n" + "\n".join(
        f"  {f['file']}:{f['line_number']} {f['test_id']} ({f['issue_severity']}) {f['issue_text']}\n"
        f"      {f['line']}"
        for f in unreviewed
    ) + "\nFix it, or record why it is safe in bandit.toml's [[reviewed]] list or as `# nosec BXXX: reason`."


def test_every_reviewed_exception_still_matches_a_finding(findings):
    stale = [entry for entry in reviewed() if not any(is_reviewed(f, entry) for f in findings)]
    assert not stale, "bandit.toml excuses lines bandit no longer flags (changed or fixed): remove or update:\n" + \
        "\n".join(f"  {entry['file']}: {entry['code']}" for entry in stale)


def test_every_reviewed_exception_says_why():
    for entry in reviewed():
        assert set(entry) == {"file", "tests", "code", "reason"}, entry
        assert len(entry["reason"].split()) >= 5, f"say why {entry['file']}: {entry['code']} is safe"


def test_every_nosec_comment_names_its_test_and_says_why():
    excluded = tomllib.loads(CONFIG.read_text())["tool"]["bandit"]["exclude_dirs"]
    bare = []
    for folder, subfolders, names in os.walk(ROOT):
        here = "./" + Path(folder).relative_to(ROOT).as_posix()
        subfolders[:] = [name for name in subfolders if f"{here}/{name}".replace("././", "./") not in excluded]
        for name in names:
            if not name.endswith(".py"):
                continue
            for number, line in enumerate(Path(folder, name).read_text().splitlines(), start=1):
                match = NOSEC.search(line)
                if match and not NOSEC_WITH_REASON.match(match["rest"]):
                    bare.append(f"{here}/{name}:{number}: {line.strip()}")
    assert not bare, "write `# nosec BXXX: reason`, naming the test it silences and why:\n" + "\n".join(bare)

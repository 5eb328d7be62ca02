"""HTML gate: the Nu Html Checker finds no error in the public pages as the server sends them.

The pages are fetched from the live site and checked in one run of vnu.jar
(node_modules/vnu-jar, from `npm ci`; needs Java). Warnings do not fail the test;
they are reported in pytest's warnings summary.
"""

import json
import subprocess
import warnings

from tests.e2e.browser import GATED_PAGES


def test_public_pages_are_valid_html(vnu_jar, page, public_pages, tmp_path):
    files = []
    for name in GATED_PAGES:
        response = page.goto(public_pages[name])
        assert response.status == 200, f"{name} page answered {response.status}"
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.body())
        files.append(str(path))

    result = subprocess.run(
        ["java", "-jar", str(vnu_jar), "--format", "json", "--stdout", *files],
        capture_output=True, text=True, timeout=120,
    )
    assert result.stdout, f"vnu.jar printed no report (exit {result.returncode}):\n{result.stderr}"
    errors, notes = [], []
    for message in json.loads(result.stdout)["messages"]:
        name = message.get("url", "?").rsplit("/", 1)[-1].removesuffix(".html")
        text = (f"{name} page {public_pages.get(name, '')} line {message.get('lastLine', '?')}: "
                f"{message['message']}\n    {message.get('extract', '').strip()}")
        # "info" is a warning or a note; "error" and "non-document-error" (the checker
        # could not check) fail.
        (notes if message["type"] == "info" else errors).append(text)
    if notes:
        warnings.warn(f"The Nu Html Checker has {len(notes)} warning(s):\n" + "\n".join(notes), stacklevel=1)
    assert not errors, f"The Nu Html Checker found {len(errors)} error(s):\n" + "\n".join(errors)

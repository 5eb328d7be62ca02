"""`make screenshots`: the home, article, category and author pages at 360 and 1280 px.

Starts the site as `make run` does, on a throw-away database with the demo content,
and writes full-page PNGs to docs/screenshots/ (or the folder given as argument).

    .venv/bin/python -m tests.e2e.screenshots [folder]
"""

import sys
import tempfile
from pathlib import Path

from tests.e2e.browser import NARROW, WIDE, launch_chromium, missing_browser, page_paths
from tests.liveserver import ROOT, LiveSite

PAGES = ["home", "article", "category", "author"]


def main(out_dir: Path) -> None:
    problem = missing_browser()
    if problem:
        sys.exit(f"make screenshots: {problem}")
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="wisegeek-screenshots-") as var_dir, \
            LiveSite(Path(var_dir)).start() as site, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        paths = page_paths(browser, site)
        for viewport in (NARROW, WIDE):
            context = browser.new_context(base_url=site.base, viewport=viewport)
            page = context.new_page()
            for name in PAGES:
                page.goto(paths[name])
                # Images below the fold load lazily, so never for a full-page shot unless asked.
                page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(img => { img.loading = 'eager'; })")
                page.wait_for_function("() => [...document.images].every(img => img.complete)")
                path = out_dir / f"{name}-{viewport['width']}.png"
                page.screenshot(path=str(path), full_page=True)
                print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
            context.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")

"""`make screenshots`: the home, article, category and author pages at 360 and 1280 px,
and the editor's admin (article list, article form, version comparison, media library)
at 1280 px.

Starts the site as `make run` does, on a throw-away database with the demo content,
and writes full-page PNGs to docs/screenshots/ (or the folder given as argument).

    .venv/bin/python -m tests.e2e.screenshots [folder]
"""

import sys
import tempfile
from pathlib import Path

from tests.e2e.browser import NARROW, WIDE, launch_chromium, missing_browser, page_paths
from tests.liveserver import ADMIN_PASSWORD, ADMIN_USERNAME, ROOT, LiveSite

PAGES = ["home", "article", "category", "author"]

# A substantive update on the demo article (its note shows under "Article history"), then
# a draft, one in review and one scheduled, so the admin shows every state and a
# comparison of two versions.
SUBSTANTIVE_UPDATE = """
from django.utils import timezone
from articles.models import Article
from articles.services import article_record_update
lead = Article.objects.order_by("-publish_at").first()
lead.body = lead.body.replace("</p>", " Sitting for long stretches often makes it worse, so short walks through the day can help.</p>", 1)
lead.updated_on = timezone.localdate()
lead._change_reason = "Added advice on sitting"
lead.save()
article_record_update(article=lead, note="Added advice on long periods of sitting.")
print(lead.pk, lead.history.all()[1].history_id, lead.history.first().history_id)
"""
EDITORIAL_STATES = """
import datetime
from django.utils import timezone
from articles.models import Article
for article, status, days in zip(Article.objects.order_by("-publish_at")[1:4], ["draft", "review", "published"], [0, 0, 3]):
    article.status = status
    article.publish_at = timezone.now() + datetime.timedelta(days=days, hours=2)
    article._change_reason = {"draft": "Moved back to draft", "review": "Submitted for review"}.get(status, "Scheduled")
    article.save()
"""


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
        updated = site.manage("shell", "-c", SUBSTANTIVE_UPDATE).split()[-3:]
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
        site.manage("shell", "-c", EDITORIAL_STATES)
        admin_screenshots(browser, site, out_dir, *updated)
        browser.close()


def admin_screenshots(browser, site, out_dir: Path, article_id: str, older: str, newer: str) -> None:
    context = browser.new_context(base_url=site.base, viewport=WIDE)
    page = context.new_page()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(ADMIN_USERNAME)
    page.get_by_label("Password").fill(ADMIN_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    shots = {
        "admin-articles": "/admin/articles/article/",
        "admin-article-form": f"/admin/articles/article/{article_id}/change/",
        "admin-compare": f"/admin/articles/article/{article_id}/history/compare/?from={older}&to={newer}",
        "admin-images": "/admin/images/image/",
    }
    for name, path in shots.items():
        page.goto(path)
        page.wait_for_load_state("networkidle")
        out = out_dir / f"{name}-{WIDE['width']}.png"
        page.screenshot(path=str(out), full_page=name != "admin-article-form")
        print(out.relative_to(ROOT) if out.is_relative_to(ROOT) else out)
    context.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else ROOT / "docs" / "screenshots")

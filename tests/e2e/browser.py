"""What the end-to-end tests and `make screenshots` share: the browser and its tools.

Debian's Chromium is driven by Playwright for Python (`playwright install` is never
needed); axe-core and the Nu Html Checker come from npm (`npm ci` writes node_modules/).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

from tests.liveserver import ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 800}
VIEWPORTS = {"narrow": NARROW, "wide": WIDE}

# The demo article every journey starts from; its category and author pages are
# found by following its links.
ARTICLE_PATH = "/what-is-the-connection-between-sciatica-and-back-pain.htm"
PARTNERS_PATH = "/affiliate-partners/"
POLICY_PATH = "/editorial-process/"
# The pages the accessibility and HTML gates check; see page_paths().
GATED_PAGES = ["home", "article", "category", "author", "partners", "policy"]


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing_browser() -> str | None:
    """Why the browser cannot run here, or None when it can."""
    if importlib.util.find_spec("playwright") is None:
        return "Playwright for Python is not installed (pip install -r requirements-dev.txt)"
    if not os.access(CHROMIUM, os.X_OK):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    return None


def missing_axe() -> str | None:
    if not AXE_JS.is_file():
        return f"axe-core not found at {AXE_JS.relative_to(ROOT)} (run npm ci)"
    return None


def missing_vnu() -> str | None:
    if not VNU_JAR.is_file():
        return f"the Nu Html Checker not found at {VNU_JAR.relative_to(ROOT)} (run npm ci)"
    if shutil.which("java") is None:
        return "java is not installed; the Nu Html Checker needs it (apt-get install default-jre-headless)"
    return None


# Every Content-Security-Policy refusal in a page or its frames, as the page sees it.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__e2eCspViolation(`${event.disposition}: ${event.effectiveDirective} refused `
    + `${event.blockedURI || "inline code"} on ${document.location.href}`
    + (event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : ""));
});
"""


def watch_csp(context, found: list[str]) -> None:
    """Append to ``found`` every CSP violation in ``context``'s pages: the page's own
    ``securitypolicyviolation`` events and the browser's console complaints."""
    context.expose_function("__e2eCspViolation", lambda text: found.append(text))
    context.add_init_script(_CSP_LISTENER)
    context.on("console", lambda message: found.append(message.text)
               if "Content Security Policy" in message.text else None)


def launch_chromium(playwright):
    """Headless Debian Chromium; Playwright gives every launch a fresh, temporary profile."""
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
    )


def page_paths(browser, site) -> dict[str, str]:
    """The public pages the gates check, found from the demo article's own links."""
    page = browser.new_page()
    try:
        response = page.goto(site.base + ARTICLE_PATH)
        if response is None or response.status != 200:
            raise RuntimeError(
                f"{ARTICLE_PATH} answered {response and response.status}; is the demo content loaded?\n"
                + site.server_log_tail(40)
            )
        category = page.locator("article .breadcrumbs li:last-child a").get_attribute("href")
        author = page.locator(".byline a[rel=author]").first.get_attribute("href")
    finally:
        page.close()
    return {
        "home": "/",
        "article": ARTICLE_PATH,
        "category": category,
        "author": author,
        "partners": PARTNERS_PATH,
        "policy": POLICY_PATH,
    }

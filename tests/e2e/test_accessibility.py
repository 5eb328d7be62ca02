"""Accessibility gate: axe-core finds no WCAG 2.2 A/AA violation on the public pages.

axe-core (node_modules/axe-core, from `npm ci`) is injected into each page as it is
served, at phone and desktop widths, with the disclosure <details> opened so the
text it hides is checked too.
"""

import pytest

from tests.e2e.browser import GATED_PAGES, VIEWPORTS

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

RUN_AXE = """async (tags) => {
    document.querySelectorAll('details').forEach(details => { details.open = true; });
    const results = await axe.run(document, {
        runOnly: {type: 'tag', values: tags},
        resultTypes: ['violations'],
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
    }));
}"""


def describe(violations) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}  {violation['helpUrl']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}\n      {summary}")
    return "\n".join(lines)


@pytest.mark.parametrize("screen", VIEWPORTS)
@pytest.mark.parametrize("name", GATED_PAGES)
def test_page_has_no_accessibility_violations(axe_source, open_context, public_pages, name, screen):
    # The public pages' CSP rightly forbids inline scripts, axe's included.
    page = open_context(viewport=VIEWPORTS[screen], bypass_csp=True).new_page()
    path = public_pages[name]
    assert page.goto(path).status == 200
    page.add_script_tag(content=axe_source)
    violations = page.evaluate(RUN_AXE, WCAG_TAGS)
    assert not violations, (
        f"axe-core found {len(violations)} kind(s) of WCAG violation on the {name} page {path} "
        f"at {VIEWPORTS[screen]['width']} px:\n{describe(violations)}"
    )

"""Responsive images in a real browser: at each screen width, the ``sizes`` an image
declares is the width the stylesheet draws it at, and Chromium fetches a WebP rendition
wide enough for it (never the full-size original)."""

import pytest

# Phones, a small tablet, the lead's two-column breakpoint (768 px) and desktops.
WIDTHS = [360, 600, 768, 1024, 1280]

MEASURE = """() => [...document.querySelectorAll('img[sizes]')].map(img => {
    const probe = document.createElement('div');
    probe.style.position = 'absolute';
    probe.style.visibility = 'hidden';
    document.body.append(probe);
    let declared = null;
    for (const entry of img.sizes.split(/,(?![^(]*\\))/)) {
        const text = entry.trim();
        const match = text.match(/^(\\(.*\\))\\s+(\\S.*)$/);
        if (match && !matchMedia(match[1]).matches) continue;
        probe.style.width = match ? match[2] : text;
        declared = probe.getBoundingClientRect().width;
        break;
    }
    probe.remove();
    return {alt: img.alt, cls: img.className, declared, drawn: img.getBoundingClientRect().width,
            currentSrc: img.currentSrc};
})"""


@pytest.mark.parametrize("width", WIDTHS)
def test_sizes_match_the_drawn_width_and_a_webp_rendition_is_fetched(open_context, public_pages, width):
    page = open_context(viewport={"width": width, "height": 900}).new_page()
    wrong = []
    measured = 0
    for name in ("home", "article", "category", "author"):
        page.goto(public_pages[name])
        page.evaluate("() => document.querySelectorAll('img[loading=lazy]').forEach(img => img.loading = 'eager')")
        page.wait_for_function("() => [...document.images].every(img => img.complete)")
        for image in page.evaluate(MEASURE):
            if image["drawn"] == 0:
                continue
            measured += 1
            # The viewport's scrollbar is the only slack: sizes' 100vw counts it.
            if not image["drawn"] - 1 <= image["declared"] <= image["drawn"] + 16:
                wrong.append(f"{name} {image['cls']!r} {image['alt']!r}: sizes says {image['declared']:.0f}px, "
                             f"drawn {image['drawn']:.0f}px")
            if "/media/renditions/" not in image["currentSrc"] or not image["currentSrc"].endswith(".webp"):
                wrong.append(f"{name} {image['cls']!r}: fetched {image['currentSrc']}")
    assert measured >= 10
    assert not wrong, f"at {width} px:\n" + "\n".join(wrong)

"""``sizes`` restates the stylesheet for the browser: body images' sizes give the width
the CSS draws at every screen width, and the CSS still says what images.layout assumes."""

import re

import pytest
from django.conf import settings

from images.layout import body_image_sizes

SCREENS_REM = [v / 4 for v in range(40, 400)]  # 10rem (160 px) to 100rem (1600 px)


def evaluate(sizes: str, viewport: float) -> float:
    """The width in rem a browser takes from ``sizes`` on a screen ``viewport`` rem wide
    (the subset of the syntax body_image_sizes writes)."""
    for entry in sizes.split(", "):
        condition = re.match(r"\(max-width: ([\d.]+)rem\) (.*)", entry)
        if condition and viewport > float(condition[1]):
            continue
        value = condition[2] if condition else entry
        if value.endswith("px"):
            return float(value[:-2]) / 16
        if value.startswith("calc("):
            vw, rem = re.match(r"calc\(([\d.]+)vw - ([\d.]+)rem\)", value).groups()
            return viewport * float(vw) / 100 - float(rem)
        return float(value.removesuffix("rem"))
    raise AssertionError(f"no entry of {sizes!r} applies at {viewport}rem")


def drawn_width(width_px: int, viewport: float, aligned: bool) -> float:
    """What site.css draws: the column is the viewport less 2rem, at most 40rem; floated
    images take at most half of it above 30rem; no image is drawn wider than its width."""
    column = min(viewport - 2, 40)
    if aligned and viewport > 30:
        column /= 2
    return min(width_px / 16, column)


@pytest.mark.parametrize("aligned", [False, True])
@pytest.mark.parametrize("width", [50, 200, 300, 319, 320, 500, 640, 1000, 2400])
def test_body_image_sizes_give_the_width_the_css_draws_at_every_screen_width(width, aligned):
    sizes = body_image_sizes(width, aligned=aligned)
    for viewport in SCREENS_REM:
        assert evaluate(sizes, viewport) == pytest.approx(drawn_width(width, viewport, aligned), abs=0.01), (
            f"{sizes!r} at {viewport}rem"
        )


def test_body_image_sizes_read_plainly():
    assert body_image_sizes(1000) == "(max-width: 42rem) calc(100vw - 2rem), 40rem"
    assert body_image_sizes(200) == "(max-width: 14.5rem) calc(100vw - 2rem), 200px"
    assert body_image_sizes(1000, aligned=True) == (
        "(max-width: 30rem) calc(100vw - 2rem), (max-width: 42rem) calc(50vw - 1rem), 20rem"
    )


CSS_FACTS = {
    "the content width": r"\.wrap \{[^}]*max-width: 72rem;[^}]*padding: 0 1rem;",
    "the article column": r"--measure: 42rem;[\s\S]*\.wrap--article \{ max-width: var\(--measure\); \}",
    "the card grid": r"\.cards \{[^}]*gap: 1\.25rem;[^}]*minmax\(min\(100%, 17rem\), 1fr\)",
    "the lead's gap": r"\.lead \{[^}]*gap: 1rem 2rem;",
    "the lead's columns": r"@media \(min-width: 48rem\) \{\s*\.lead \{ grid-template-columns: 3fr 2fr;",
    "small screens": r"@media \(max-width: 30rem\) \{[^@]*\.cards \.card__image \{ width: 6\.5rem;",
    "compact cards": r"\.cards--compact \.card__image \{ width: 7\.5rem;",
    "floated body images": r"\.prose \.image-style-align-left \{ float: left; max-width: 50%;",
}


@pytest.mark.parametrize("fact", CSS_FACTS)
def test_the_stylesheet_still_draws_images_as_images_layout_says(fact):
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert re.search(CSS_FACTS[fact], css), (
        f"site.css changed {fact}: update images/layout.py's sizes to match, then this pattern"
    )

"""How wide each image is drawn, for the ``sizes`` attribute: the browser reads it before
any CSS has loaded to choose a rendition, so it restates static/css/site.css here.
Change the two together (tests/images/test_layout.py checks the CSS values this reads).

The numbers, in rem (16 px unless the reader changed the browser's font size):
- article column: ``.wrap--article`` is 42rem wide with 1rem padding each side, so
  40rem, or the viewport less 2rem on narrower screens;
- body images aligned left or right float at up to half the column above 30rem;
- the home page's lead: one column below 48rem, then the image takes 3/5 of the
  70rem content width less the 2rem gap;
- cards: a grid of ``minmax(17rem, 1fr)`` columns 1.25rem apart in a 70rem content
  width (1 column below 37.25rem, 2 below 55.5rem, then 3), drawn as 6.5rem thumbnails
  at 30rem and below; related articles' compact cards are 7.5rem thumbnails.
"""

SIZES = {
    "article": "(min-width: 42rem) 40rem, calc(100vw - 2rem)",
    "lead": "(min-width: 72rem) 40.8rem, (min-width: 48rem) calc(60vw - 2.4rem), calc(100vw - 2rem)",
    "card": (
        "(max-width: 30rem) 6.5rem, (min-width: 72rem) 22.5rem, (min-width: 55.5rem) calc(33.33vw - 1.5rem), "
        "(min-width: 37.25rem) calc(50vw - 1.625rem), calc(100vw - 2rem)"
    ),
    "card-compact": "(max-width: 30rem) 6.5rem, 7.5rem",
    "author-box": "96px",
    "author-header": "(max-width: 30rem) 80px, 128px",
}

# The article column as pieces of the viewport width v (rem): up to each max-width,
# the image is drawn a·v + b rem wide (None: any wider screen).
COLUMN = [(42, 1, -2), (None, 0, 40)]
ALIGNED = [(30, 1, -2), (42, 0.5, -1), (None, 0, 20)]
ROOT_PX = 16


def body_image_sizes(width: int, *, aligned: bool = False) -> str:
    """``sizes`` for an image in an article's body that is ``width`` CSS pixels wide
    (its width attribute): as wide as the column allows, never wider than ``width``.

    Written without min() (Safari before 26.4 ignores it in ``sizes``): where the column
    is narrower than the image, the column's width; elsewhere, the image's own.
    """
    cap = width / ROOT_PX
    pieces: list[tuple[float | None, tuple]] = []  # (max-width in rem, value)
    low = 0.0
    for high, a, b in ALIGNED if aligned else COLUMN:
        column = ("calc", a, b) if a else ("rem", b)
        if a == 0:
            pieces.append((high, ("px", width) if cap < b else column))
        else:
            crossing = (cap - b) / a  # the viewport width at which the column is `width` wide
            if high is not None and crossing >= high:
                pieces.append((high, column))
            elif crossing <= low:
                pieces.append((high, ("px", width)))
            else:
                pieces += [(crossing, column), (high, ("px", width))]
        low = high or low
    merged: list[tuple[float | None, tuple]] = []
    for high, value in pieces:
        if merged and merged[-1][1] == value:
            merged[-1] = (high, value)
        else:
            merged.append((high, value))
    parts = [
        _length(value) if high is None or index == len(merged) - 1 else f"(max-width: {_number(high)}rem) {_length(value)}"
        for index, (high, value) in enumerate(merged)
    ]
    return ", ".join(parts)


def _length(value: tuple) -> str:
    kind, *numbers = value
    if kind == "px":
        return f"{numbers[0]}px"
    if kind == "rem":
        return f"{_number(numbers[0])}rem"
    a, b = numbers
    return f"calc({_number(a * 100)}vw - {_number(-b)}rem)" if b < 0 else f"calc({_number(a * 100)}vw + {_number(b)}rem)"


def _number(value: float) -> str:
    return f"{value:.3f}".rstrip("0").rstrip(".")

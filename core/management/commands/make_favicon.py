"""Draw static/img/favicon.ico, the icon browsers and admin ask /favicon.ico for.

It is static/img/favicon.svg's design, restated here because Pillow cannot read SVG:
a 32-unit square with rounded corners in the brand colour and a white "W" stroke. Run
it again after changing the SVG, and commit the new file.
"""

import io
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from PIL import Image, ImageDraw

BRAND = "#1d4e5f"
# The SVG's path "M7 10l3.5 12L14 13l2 0 3.5 9L23 10", in its 32-unit grid.
STROKE = [(7, 10), (10.5, 22), (14, 13), (16, 13), (19.5, 22), (23, 10)]
STROKE_WIDTH = 2.4
CORNER_RADIUS = 6
SIZES = (16, 32, 48)
MASTER = 512  # drawn large, then scaled down: smooth edges at every size


def icon(size: int) -> Image.Image:
    scale = MASTER / 32
    master = Image.new("RGBA", (MASTER, MASTER), (0, 0, 0, 0))
    draw = ImageDraw.Draw(master)
    draw.rounded_rectangle((0, 0, MASTER - 1, MASTER - 1), radius=round(CORNER_RADIUS * scale), fill=BRAND)
    points = [(x * scale, y * scale) for x, y in STROKE]
    width = round(STROKE_WIDTH * scale)
    draw.line(points, fill="white", width=width, joint="curve")
    for x, y in (points[0], points[-1]):  # round line caps
        draw.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill="white")
    return master.resize((size, size), Image.Resampling.LANCZOS)


def favicon_ico() -> bytes:
    """The icon at 16, 32 and 48 pixels in one ICO file."""
    images = [icon(size) for size in SIZES]
    out = io.BytesIO()
    images[-1].save(out, format="ICO", sizes=[(s, s) for s in SIZES], append_images=images[:-1])
    return out.getvalue()


class Command(BaseCommand):
    help = "Draw static/img/favicon.ico (16, 32 and 48 px) from the favicon's design."

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "static" / "img" / "favicon.ico"
        path.write_bytes(favicon_ico())
        self.stdout.write(f"Wrote {path.relative_to(settings.BASE_DIR)}")

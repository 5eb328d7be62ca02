"""Illustrations for the demo content, drawn with Pillow so nothing is borrowed."""

import io
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def abstract_image(palette: tuple[str, str], seed: str, size=(1200, 675)) -> bytes:
    """A calm abstract picture: a diagonal gradient with a few soft shapes. JPEG bytes."""
    width, height = size
    start, end = _rgb(palette[0]), _rgb(palette[1])
    side = 2 * max(size)
    gradient = Image.linear_gradient("L").resize((side, side)).rotate(-35)
    left, top = (side - width) // 2, (side - height) // 2
    gradient = gradient.crop((left, top, left + width, top + height))
    image = Image.composite(Image.new("RGB", size, end), Image.new("RGB", size, start), gradient)
    overlay = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    rng = random.Random(seed)
    for _ in range(7):
        radius = rng.randint(height // 8, height // 2)
        x, y = rng.randint(0, width), rng.randint(0, height)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius),
                     fill=(255, 255, 255, rng.randint(18, 48)))
    for _ in range(3):
        y = rng.randint(height // 5, height - height // 5)
        draw.line((0, y, width, y - rng.randint(-120, 120)), fill=(255, 255, 255, 60), width=3)
    overlay = overlay.filter(ImageFilter.GaussianBlur(6))
    image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def portrait(name: str, palette: tuple[str, str], size: int = 256) -> bytes:
    """A square with the person's initials, standing in for a demo author's photo."""
    image = Image.new("RGB", (size, size), _rgb(palette[0]))
    draw = ImageDraw.Draw(image)
    draw.ellipse((-size // 3, size // 2, size + size // 3, size * 2), fill=_rgb(palette[1]))
    initials = "".join(part[0] for part in name.split()[:2]).upper()
    font = ImageFont.load_default(size=size // 3)
    box = draw.textbbox((0, 0), initials, font=font)
    position = ((size - (box[2] - box[0])) / 2 - box[0], (size - (box[3] - box[1])) / 2.4 - box[1])
    draw.text(position, initials, font=font, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def ad_image(palette: tuple[str, str], seed: str, symbol: str, size=(480, 270)) -> bytes:
    """A house ad's picture: the abstract background with a simple drawing of what is
    offered (``symbol``: "first-aid-kit" or "books"). JPEG bytes."""
    with Image.open(io.BytesIO(abstract_image(palette, seed, size))) as background:
        image = background.convert("RGB")
    draw = ImageDraw.Draw(image)
    width, height = size
    dark, light = _rgb(palette[0]), (255, 255, 255)
    if symbol == "first-aid-kit":
        box = (width * 0.3, height * 0.3, width * 0.7, height * 0.82)
        draw.rounded_rectangle((width * 0.43, height * 0.18, width * 0.57, height * 0.34), radius=10,
                               outline=dark, width=8)
        draw.rounded_rectangle(box, radius=18, fill=dark)
        cx, cy, arm, bar = width / 2, (box[1] + box[3]) / 2, height * 0.16, height * 0.06
        draw.rectangle((cx - arm, cy - bar, cx + arm, cy + bar), fill=light)
        draw.rectangle((cx - bar, cy - arm, cx + bar, cy + arm), fill=light)
    elif symbol == "books":
        rng = random.Random(seed)
        shelf = height * 0.8
        x = width * 0.18
        while x < width * 0.8:
            spine, top = rng.randint(24, 44), height * rng.uniform(0.2, 0.38)
            shade = tuple(max(0, min(255, c + rng.randint(-50, 50))) for c in dark)
            draw.rectangle((x, top, x + spine, shelf), fill=shade)
            draw.line((x + 6, top + 18, x + spine - 6, top + 18), fill=light, width=3)
            x += spine + 4
        draw.rectangle((width * 0.12, shelf, width * 0.88, shelf + 10), fill=dark)
    else:
        raise ValueError(f"No drawing for “{symbol}”.")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()

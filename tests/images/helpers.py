"""Real image bytes made with Pillow, and reading <picture> elements out of a page."""

import io
from html.parser import HTMLParser

from PIL import ExifTags, Image

RED, BLUE = (220, 20, 20), (20, 20, 220)
CAMERA = "SecretCam 3000"
LATITUDE = (51.0, 30.0, 12.34)


def two_colour_image(size=(1000, 600), mode="RGB") -> Image.Image:
    """Left half red, right half blue: which way up it is stays visible in any copy."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(Image.new("RGB", (width // 2, height), RED), (0, 0))
    if mode == "RGBA":
        image = image.convert("RGBA")
        image.putpixel((0, 0), (0, 0, 0, 0))
        image.paste(Image.new("RGBA", (width // 4, height // 4), (0, 0, 0, 0)), (0, 0))
    return image


def image_file(fmt="JPEG", size=(1000, 600), mode="RGB") -> bytes:
    out = io.BytesIO()
    two_colour_image(size, mode).save(out, fmt)
    return out.getvalue()


def phone_photo(size=(1000, 600), orientation=6) -> bytes:
    """A JPEG as a phone writes it: stored on its side with an Orientation tag, and
    carrying the camera's name, a GPS position, XMP and a comment."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (0.0, 7.0, 39.99),
    }
    out = io.BytesIO()
    two_colour_image(size).save(
        out, "JPEG", exif=exif, comment=b"shot at home",
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description '
            b'exif:GPSLatitude="51,30.2N"/></rdf:RDF></x:xmpmeta>',
    )
    return out.getvalue()


def gif_file(size=(400, 300), frames=1) -> bytes:
    images = [Image.new("RGB", size, (40 * frame, 90, 160)) for frame in range(frames)]
    out = io.BytesIO()
    images[0].save(out, "GIF", save_all=frames > 1, append_images=images[1:])
    return out.getvalue()


class _Pictures(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "picture":
            self._open = {"sources": [], "img": None}
        elif tag == "source" and self._open is not None:
            self._open["sources"].append(attrs)
        elif tag == "img":
            if self._open is not None:
                self._open["img"] = attrs
            else:
                self.found.append({"picture": False, "sources": [], "img": attrs})

    def handle_endtag(self, tag):
        if tag == "picture" and self._open is not None:
            self.found.append({"picture": True, **self._open})
            self._open = None


def images_on(html: bytes | str) -> list[dict]:
    """Every image on a page, in order: ``{"picture": bool, "sources": [attrs], "img": attrs}``."""
    parser = _Pictures()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.found


def srcset_widths(srcset: str) -> dict[int, str]:
    """``{width: url}`` from a ``srcset`` of width descriptors."""
    pairs = (candidate.strip().rsplit(" ", 1) for candidate in srcset.split(","))
    return {int(descriptor.removesuffix("w")): url for url, descriptor in pairs}

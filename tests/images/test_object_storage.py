"""With uploads in S3 (django-storages, against moto's S3 server), renditions are read and
written through the same storage, and pages point at the bucket for them."""

import io
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as Pillow

from images.models import Image
from images.services import renditions_make
from tests.images.helpers import image_file, images_on, phone_photo, srcset_widths
from tests.storage import s3_storages

pytestmark = pytest.mark.django_db


@pytest.fixture
def bucket(settings, s3_server):
    settings.STORAGES = s3_storages(settings.STORAGES, s3_server)
    return f"{s3_server['S3_ENDPOINT_URL']}/{s3_server['S3_BUCKET']}/"


def test_renditions_are_made_in_the_bucket_and_pages_point_there(client, article, bucket):
    article.featured_image.save("spine.jpg", ContentFile(phone_photo(size=(900, 600), orientation=1)))
    body = default_storage.save("uploads/2026/05/chart.png", ContentFile(image_file("PNG", size=(500, 300))))
    assert type(default_storage._wrapped).__name__ == "S3Storage"
    type(article).objects.filter(pk=article.pk).update(body=f'<p><img src="{bucket}{body}" alt="A chart"></p>')

    assert renditions_make(names=[article.featured_image.name, body]).made == 2
    # A rendition left damaged (a worker killed while writing) is replaced when they are made
    # again, under the same name: the bucket never renames it spine-jpg-320w_AbC12.jpg.
    damaged = Image.objects.get(name=article.featured_image.name).rendition_name(320, "jpg")
    default_storage.delete(damaged)
    default_storage.save(damaged, ContentFile(b"half a JPEG"))
    assert renditions_make(names=[article.featured_image.name], force=True).made == 1
    with default_storage.open(damaged) as file:
        assert Pillow.open(file).size == (320, 213)
    stem = article.featured_image.name.rpartition("/")[2].removesuffix(".jpg")  # a random name
    folder = "renditions/" + article.featured_image.name.rpartition("/")[0]  # the upload month's
    assert default_storage.listdir(folder)[1] == sorted(
        f"{stem}-jpg-{width}w.{extension}" for width in (320, 480, 800, 900) for extension in ("jpg", "webp")
    )

    found = images_on(client.get(article.get_absolute_url()).content)
    pictures = [image for image in found if image["picture"]]
    assert [image["img"]["alt"] for image in pictures] == ["Illustration of a spine", "A chart"]
    for picture in pictures:
        for url in [*srcset_widths(picture["img"]["srcset"]).values(),
                    *srcset_widths(picture["sources"][0]["srcset"]).values()]:
            assert url.startswith(bucket), url
    with urllib.request.urlopen(srcset_widths(pictures[0]["img"]["srcset"])[320]) as response:
        copy = Pillow.open(io.BytesIO(response.read()))
        assert (copy.format, copy.size, dict(copy.getexif())) == ("JPEG", (320, 213), {})
    assert Image.objects.count() == 2

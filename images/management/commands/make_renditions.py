from django.core.management.base import BaseCommand

from images.services import renditions_make
from images.sources import stored_image_names


class Command(BaseCommand):
    help = (
        "Make the renditions (smaller copies in WebP and the original format) of every image "
        "the site shows: featured images, author photos and images in article bodies. Safe to "
        "run again: images that already have theirs for IMAGE_RENDITION_WIDTHS are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Make every rendition again.")

    def handle(self, *args, force=False, **options):
        report = renditions_make(names=stored_image_names(), force=force)
        self.stdout.write(
            f"Renditions: made for {report.made} image(s), {report.already_made} already had them, "
            f"{report.unreadable} could not be read, {report.failed} failed."
        )
        if report.failed:
            self.stderr.write("Some images failed (see the log above); run the command again later.")

from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoContentError, describe_library_images, load_demo_content
from images.services import renditions_make
from images.sources import stored_image_names


class Command(BaseCommand):
    help = (
        "Load the demo articles, authors, categories, partners with their affiliate links, and house ads "
        "from demo/content/. "
        "Safe to run again: anything already there (matched by slug; ads by name) is left as it is. "
        "The policy pages come with migrate, not with the demo. The images' renditions are "
        "made at once, so the first page served already has them."
    )

    def handle(self, *args, **options):
        try:
            created = load_demo_content()
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        if any(created.values()):
            # Here rather than by the task worker, which `make run` starts only afterwards.
            report = renditions_make(names=stored_image_names())
            describe_library_images()
            if options["verbosity"] > 1:
                self.stdout.write(f"Renditions made for {report.made} image(s).")
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(f"Demo content: created {summary}." if any(created.values())
                          else "Demo content is already loaded.")

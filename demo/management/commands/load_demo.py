from django.core.management.base import BaseCommand, CommandError

from demo.loader import DemoContentError, load_demo_content


class Command(BaseCommand):
    help = (
        "Load the demo articles, authors, categories and partners from demo/content/. "
        "Safe to run again: anything already there (matched by slug) is left as it is. "
        "The policy pages come with migrate, not with the demo."
    )

    def handle(self, *args, **options):
        try:
            created = load_demo_content()
        except DemoContentError as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {name}" for name, count in created.items())
        self.stdout.write(f"Demo content: created {summary}." if any(created.values())
                          else "Demo content is already loaded.")

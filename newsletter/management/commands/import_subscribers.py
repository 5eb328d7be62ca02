from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletter.imports import read_rows, subscribers_import
from newsletter.progress import Progress


class Command(BaseCommand):
    help = (
        "Import subscribers from a CSV file with an 'email' column (or one address per line). "
        "Existing subscribers are left as they are, so running it twice changes nothing. "
        "New subscribers must confirm by email unless --confirmed is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--confirmed", action="store_true",
            help="only for a list whose people already consented elsewhere: make them active at once",
        )

    def handle(self, *args, file: Path, confirmed: bool, **options):
        try:
            with open(file, newline="", encoding="utf-8-sig") as f:
                total = max(sum(1 for _ in f) - 1, 1)
            with open(file, newline="", encoding="utf-8-sig") as f:
                progress = Progress(total, label="Importing", stream=self.stderr)
                result = subscribers_import(rows=read_rows(f), confirmed=confirmed, source=file.name,
                                            progress=progress)
                progress.finish()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}")
        for line, message in result.problems:
            self.stderr.write(f"line {line}: {message}")
        self.stdout.write(
            f"Imported {result.created} new subscriber(s) "
            f"({'active' if confirmed else 'asked to confirm by email'}); "
            f"{result.existing} already there; {len(result.problems)} bad row(s)."
        )

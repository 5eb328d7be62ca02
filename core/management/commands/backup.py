from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import backups


class Command(BaseCommand):
    help = (
        "Write a dated archive (wisegeek-backup-<time>.tar.gz, readable by its owner only) of the "
        "SQLite database, copied consistently while the site runs, and of the media folder, with a "
        "manifest of every file's size and SHA-256. PostgreSQL is backed up with pg_dump instead."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", nargs="?", type=Path,
            help="Where to write the archive (default: BACKUP_DIR, which defaults to VAR_DIR/backups).",
        )

    def handle(self, *args, folder=None, **options):
        folder = folder or settings.BACKUP_DIR
        try:
            path, manifest = backups.backup_create(folder=folder)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Could not write the backup into {folder}: {error}") from error
        media_files = sum(entry["name"].startswith(backups.MEDIA) for entry in manifest["files"])
        if manifest["media"] == "included":
            what = f"the database and {media_files} media file(s)"
        else:
            what = "the database only"
            self.stdout.write(
                "Uploads are in object storage (S3_BUCKET): they are not in this archive. "
                "Keep them with the bucket's versioning (and a lifecycle rule for old versions)."
            )
        size = path.stat().st_size
        self.stdout.write(self.style.SUCCESS(f"Backed up {what} to {path} ({size:,} bytes)."))

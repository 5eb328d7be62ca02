from pathlib import Path

from django.core.cache import caches
from django.core.management.base import BaseCommand, CommandError
from django.db.migrations.loader import MigrationLoader

from core import backups


class Command(BaseCommand):
    help = (
        "Bring back the database and the media folder from an archive written by `manage.py backup`, "
        "after checking its manifest and every file's SHA-256. Anything written since the backup is lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="A wisegeek-backup-<time>.tar.gz file.")
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, archive, interactive=True, **options):
        try:
            database = backups.sqlite_path()
            media = backups.media_root()
            if not archive.is_file():
                raise backups.BackupError(f"There is no file {archive}.")
            checked = backups.archive_open(archive)
            known = {f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations}
            newer = backups.unknown_migrations(checked, known)
            if newer:
                raise backups.BackupError(
                    f"Refused: the archive's database has migrations this release does not have "
                    f"({', '.join(newer[:3])}{', …' if len(newer) > 3 else ''}): restore it with the "
                    "release that made it."
                )
            if interactive and not self.confirmed(checked, database, media):
                raise CommandError("Restore cancelled; nothing was changed.")
            backups.restore(checked)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Restore failed: {error}. Nothing was changed.") from error

        # Cached pages and counts describe the data just replaced.
        for cache in caches.all():
            cache.clear()
        created = checked.manifest["created"]
        if checked.has_media:
            self.stdout.write(self.style.SUCCESS(
                f"Restored the database and {checked.media_count} media file(s) from the backup of {created}."
            ))
        else:
            self.stdout.write(self.style.SUCCESS(f"Restored the database from the backup of {created}."))
            if media is not None:
                self.stdout.write(f"The archive holds no media (they were in object storage); {media} is unchanged.")
        behind = backups.missing_migrations(checked, known)
        if behind:
            self.stdout.write(f"The backup predates {len(behind)} migration(s) of this release: run manage.py migrate.")

    def confirmed(self, checked, database, media) -> bool:
        replaced = f"the database {database}"
        if checked.has_media:
            replaced += f" and the media folder {media}"
        self.stdout.write(
            f"This replaces {replaced} with the backup of {checked.manifest['created']}. "
            "Anything written since then will be lost."
        )
        try:
            answer = input("Type 'yes' to continue, or anything else to cancel: ")
        except EOFError:
            return False
        return answer.strip().lower() == "yes"

from django.core.management.base import BaseCommand, CommandError

from partners import offers

MAX_TIMEOUT = 300
MAX_WORKERS = 64


class Command(BaseCommand):
    help = (
        "Visit the destination of every active affiliate link and mark the links whose offer "
        "is gone or failing as dead offers (admin lists them). Run it daily from a scheduled job."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=10,
                            help="Seconds to wait for each request before calling the offer dead (default 10).")
        parser.add_argument("--workers", type=int, default=8,
                            help="How many destinations to ask at once, at most (default 8).")

    def handle(self, *, timeout: float, workers: int, **options):
        if not 0 < timeout <= MAX_TIMEOUT:
            raise CommandError(f"--timeout must be more than 0 and at most {MAX_TIMEOUT} seconds.")
        if not 1 <= workers <= MAX_WORKERS:
            raise CommandError(f"--workers must be between 1 and {MAX_WORKERS}.")
        checks = offers.check_offers(timeout=timeout, workers=workers)
        dead = [(link, check) for link, check in checks if check.dead]
        self.stdout.write(
            f"Checked {len(checks)} active link{'s' if len(checks) != 1 else ''}: "
            f"{len(checks) - len(dead)} working, {len(dead)} dead."
        )
        if dead:
            self.stdout.write(self.style.WARNING("Dead offers:"))
            for link, check in dead:
                self.stdout.write(f"  {link.get_absolute_url()} ({link.partner.name}, “{link.name}”): {check.result} – {link.destination}")

import sys

from django.core.management.base import BaseCommand

from newsletter import services
from newsletter.models import Subscriber


class Command(BaseCommand):
    help = (
        "Mark addresses that hard-bounced (or complained) so they are never mailed again. "
        "Give addresses as arguments, or one per line on standard input with '-'."
    )

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="+", help="email addresses, or - to read them from stdin")
        parser.add_argument("--complained", action="store_true", help="they marked our email as spam")

    def handle(self, *args, addresses, complained, **options):
        if addresses == ["-"]:
            addresses = [line.strip() for line in sys.stdin if line.strip()]
        status = Subscriber.Status.COMPLAINED if complained else Subscriber.Status.BOUNCED
        changed = services.subscribers_mark_undeliverable(emails=addresses, status=status)
        self.stdout.write(f"Marked {changed} of {len(addresses)} address(es) as {status}.")

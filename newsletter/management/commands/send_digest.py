import datetime
import smtplib

from django.core.management.base import BaseCommand, CommandError

from newsletter import services
from newsletter.models import Subscriber
from newsletter.progress import Progress


class Command(BaseCommand):
    help = (
        "Build today's digest of articles published since the last one and send it to every "
        "active subscriber who has not had it. Safe to run again: nobody gets it twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--batch-size", type=int, default=None, help="messages per SMTP connection")

    def handle(self, *args, day=None, batch_size=None, **options):
        digest = services.digest_prepare(day=day)
        if digest is None:
            self.stdout.write("No new articles since the last digest: nothing to send.")
            return
        remaining = Subscriber.objects.active().exclude(deliveries__digest=digest).count()
        self.stdout.write(f"Digest {digest.day}: “{digest.subject}”, {remaining} to send.")
        progress = Progress(remaining, label="Sending", stream=self.stderr._out)
        try:
            sent = services.digest_send(digest=digest, batch_size=batch_size, progress=progress)
        except (smtplib.SMTPException, OSError) as error:
            progress.finish()
            raise CommandError(
                f"The mail server failed after {progress.done} messages: {error}. "
                "Run send_digest again to send the rest; nobody gets it twice."
            )
        progress.finish()
        self.stdout.write(self.style.SUCCESS(f"Sent the digest to {sent} subscriber{'s' if sent != 1 else ''}."))
        refused = Subscriber.objects.active().exclude(deliveries__digest=digest).count()
        if refused:
            self.stdout.write(self.style.WARNING(
                f"{refused} refused by the mail server (see the log); run send_digest again to retry them."
            ))

import datetime
import smtplib

from django.core.management.base import BaseCommand, CommandError

from newsletter import emails, services
from newsletter.models import Subscriber
from newsletter.progress import Progress


class Command(BaseCommand):
    help = (
        "Build today's digest of articles published since the last one and send it to every "
        "active subscriber who has not had it. Safe to run again, and while another run is "
        "sending: nobody gets it twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=datetime.date.fromisoformat, help="YYYY-MM-DD (default: today)")
        parser.add_argument("--batch-size", type=int, default=None, help="messages per SMTP connection")

    def handle(self, *args, day=None, batch_size=None, **options):
        digest = services.digest_prepare(day=day)
        if digest is None:
            self.stdout.write("No new articles since the last digest: nothing to send.")
            return
        try:
            with services.digest_claimed(digest=digest) as claim:
                self.send(digest, claim=claim, batch_size=batch_size)
        except services.DigestBusy as busy:
            # Not a failure: the other run is doing the job.
            self.stdout.write(self.style.WARNING(str(busy)))

    def send(self, digest, *, claim, batch_size):
        articles = list(digest.public_articles())
        if not articles:
            self.stdout.write(
                f"Digest {digest.day}: none of its articles is public any more (unpublished, or not yet "
                "published): nothing to send."
            )
            return
        remaining = Subscriber.objects.active().exclude(deliveries__digest=digest).count()
        self.stdout.write(f"Digest {digest.day}: “{emails.digest_subject(articles)}”, {remaining} to send.")
        progress = Progress(remaining, label="Sending", stream=self.stderr)
        try:
            sent = services.digest_send(digest=digest, batch_size=batch_size, progress=progress, claim=claim)
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

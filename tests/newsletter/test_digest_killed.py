"""Never lose, never double-send: a real `manage.py send_digest` killed halfway, then
run again, has sent the digest to every subscriber exactly once. On its own SQLite
database, or on a fresh PostgreSQL one when the suite runs on PostgreSQL.

The one exception the design allows: the message in flight at the kill. The mail
server may have accepted it a moment before the process died and before its Delivery
row was written, so the second run sends it again. Messages go one at a time, so that
is at most one subscriber with two copies.
"""

import re
import signal
import subprocess
import sys

from django.utils import timezone

from tests.liveserver import ROOT, LiveSite
from tests.newsletter.helpers import COUNT_DELIVERIES, digest_site_setup

SUBSCRIBERS = 300
BATCH_SIZE = 20
KILL_AT = 110  # messages received: in the middle of the sixth batch, not at its edge

SETUP = digest_site_setup(SUBSCRIBERS)


def test_send_digest_killed_halfway_and_run_again_sends_everyone_exactly_one_copy(
    tmp_path, mail_server, database_url
):
    mail_server.sink.delay = 0.01  # a slow mail server, so the kill lands midway
    env = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "EMAIL_HOST": mail_server.host, "EMAIL_PORT": str(mail_server.port)}
    if database_url:
        env["DATABASE_URL"] = database_url
    site = LiveSite(tmp_path, **env)
    site.manage("migrate", "--noinput")
    site.manage("shell", "-c", SETUP)
    today = str(timezone.localdate())  # both runs work on the same digest, even across midnight

    with open(tmp_path / "first-run.log", "w") as log:
        first = subprocess.Popen(
            [sys.executable, "manage.py", "send_digest", "--day", today, "--batch-size", str(BATCH_SIZE)],
            cwd=ROOT, env=site.env, stdout=log, stderr=subprocess.STDOUT,
        )
        try:
            reached = mail_server.wait_for(KILL_AT, timeout=60, unless=lambda: first.poll() is not None)
        finally:
            first.kill()
            first.wait()
    first_log = (tmp_path / "first-run.log").read_text()
    assert reached, f"send_digest ended or stalled before {KILL_AT} messages:\n{first_log}"
    assert first.returncode == -signal.SIGKILL
    received_before_the_kill = len(mail_server)
    assert received_before_the_kill < SUBSCRIBERS, "the kill came too late to test anything"

    output = site.manage("send_digest", "--day", today, "--batch-size", str(BATCH_SIZE))

    # Every message the server received was recorded, except perhaps the one in flight.
    left = int(re.search(r"(\d+) to send", output).group(1))
    assert SUBSCRIBERS - received_before_the_kill <= left <= SUBSCRIBERS - received_before_the_kill + 1, output
    copies = mail_server.recipient_counts()
    assert set(copies) == {f"reader{n:03}@example.com" for n in range(SUBSCRIBERS)}, "somebody got nothing"
    doubles = {address: n for address, n in copies.items() if n > 1}
    assert len(doubles) <= 1 and set(doubles.values()) <= {2}, f"more than the one message in flight: {doubles}"
    deliveries, subscribers = map(int, site.manage("shell", "-c", COUNT_DELIVERIES).splitlines()[-1].split())
    assert deliveries == subscribers == SUBSCRIBERS

"""Two digest runs at once: one sends, the other sees it and leaves, and every subscriber
gets exactly one copy. Real processes on one database (SQLite, or a fresh PostgreSQL one
when the suite runs on PostgreSQL), a real SMTP server counting what reached the wire.
Then the claim itself, in one process: who may take it, and when."""

import datetime
import os
import socket
import subprocess
import sys

import pytest
from django.utils import timezone

from newsletter import services, tasks
from newsletter.models import Delivery, Digest, Subscriber
from tests.factories import ArticleFactory
from tests.liveserver import LiveSite
from tests.newsletter.helpers import COUNT_DELIVERIES, digest_site_setup, run_together, send_digest, subscriber

SUBSCRIBERS = 300

SETUP = digest_site_setup(SUBSCRIBERS)


def test_two_send_digest_runs_started_together_send_everyone_exactly_one_copy_and_both_exit_cleanly(
    tmp_path, mail_server, database_url
):
    mail_server.sink.delay = 0.005  # slow enough that the first run is still sending when the second looks
    env = {"EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "EMAIL_HOST": mail_server.host, "EMAIL_PORT": str(mail_server.port)}
    if database_url:
        env["DATABASE_URL"] = database_url
    site = LiveSite(tmp_path, **env)
    site.manage("migrate", "--noinput")
    site.manage("shell", "-c", SETUP)
    today = str(timezone.localdate())
    command = ["send_digest", "--day", today, "--batch-size", "20"]

    results = run_together(site.env, tmp_path, command, command)

    outputs = [output for _, output in results]
    report = "\n---\n".join(outputs)

    assert [status for status, _ in results] == [0, 0], report
    assert "Traceback" not in report, report
    busy = [output for output in outputs if "Another send_digest run" in output]
    assert len(busy) == 1, f"the runs did not overlap, or both sent:\n{report}"
    assert "is sending the digest for" in busy[0] and "Sent the digest" not in busy[0]
    copies = mail_server.recipient_counts()
    assert set(copies) == {f"reader{n:03}@example.com" for n in range(SUBSCRIBERS)}, "somebody got nothing"
    assert {address: n for address, n in copies.items() if n > 1} == {}, "somebody got two copies"
    assert len(mail_server) == SUBSCRIBERS
    deliveries, subscribers = map(int, site.manage("shell", "-c", COUNT_DELIVERIES).splitlines()[-1].split())
    assert deliveries == subscribers == SUBSCRIBERS


# --- The claim, in one process --------------------------------------------------------


@pytest.fixture
def digest(db):
    for n in range(3):
        subscriber(f"reader{n}@example.com", Subscriber.Status.ACTIVE)
    ArticleFactory(title="Fresh", publish_at=timezone.now() - datetime.timedelta(hours=1))
    return services.digest_prepare()


def claim(digest: Digest, owner: str, *, minutes: float) -> None:
    Digest.objects.filter(pk=digest.pk).update(
        claimed_by=owner, claimed_until=timezone.now() + datetime.timedelta(minutes=minutes)
    )


def a_process_that_has_ended() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


@pytest.mark.parametrize("owner", [
    "another-host:4242:0badc0de",  # a run on another app server
    f"{socket.gethostname()}:{os.getpid()}:0badc0de",  # a live process on this machine
], ids=["another machine", "this machine"])
def test_a_run_that_finds_the_digest_claimed_by_a_live_run_sends_nothing_and_says_why(smtp, digest, owner):
    claim(digest, owner, minutes=1)

    output = send_digest()

    assert f"Another send_digest run ({owner}) is sending the digest for {digest.day}" in output
    assert "run send_digest again after that" in output
    assert len(smtp) == 0 and Delivery.objects.count() == 0
    assert Digest.objects.get().claimed_by == owner, "it took nothing from the run that holds it"


def test_a_claim_that_ran_out_is_taken_over_and_the_digest_resumes(smtp, digest):
    claim(digest, "another-host:4242:0badc0de", minutes=-1)

    output = send_digest()

    assert "Sent the digest to 3 subscribers." in output
    assert len(smtp) == 3
    assert Digest.objects.filter(claimed_by="", claimed_until=None).count() == 1, "given back at the end"


def test_the_claim_of_a_process_that_died_on_this_machine_is_taken_over_at_once(smtp, digest):
    claim(digest, f"{socket.gethostname()}:{a_process_that_has_ended()}:0badc0de", minutes=2)

    output = send_digest()

    assert "Sent the digest to 3 subscribers." in output and len(smtp) == 3


def test_a_run_that_loses_its_claim_midway_stops_at_once_and_leaves_the_rest_to_the_new_holder(
    smtp, digest, monkeypatch
):
    monkeypatch.setattr(services, "DIGEST_CLAIM", datetime.timedelta(0))  # renewed before every message

    def another_run_takes_over(count):
        claim(digest, "another-host:4242:0badc0de", minutes=1)

    with pytest.raises(services.DigestClaimLost, match="stalled for longer than its claim"):
        services.digest_send(digest=digest, progress=another_run_takes_over)

    assert len(smtp) == 1 and Delivery.objects.count() == 1
    assert Digest.objects.get().claimed_by == "another-host:4242:0badc0de"


def test_the_daily_task_leaves_a_digest_that_another_run_is_sending_alone(smtp, digest, immediate_tasks):
    claim(digest, "another-host:4242:0badc0de", minutes=1)

    result = tasks.send_daily_digest.enqueue()

    assert result.status == "SUCCESSFUL" and result.return_value == 0
    assert len(smtp) == 0

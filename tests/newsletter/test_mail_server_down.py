"""When the mail server is down, readers still sign up, and their confirmation email
goes out once it is back: the task waits in the database queue and tries again later."""

import urllib.parse

import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletter.models import Subscriber
from tests.newsletter.helpers import link_to, path_of, text_and_html
from tests.tasks import run_queued_tasks

TASK = "newsletter.tasks.send_confirmation"


def post_signup(client, address: str):
    return client.post("/newsletter/", urllib.parse.urlencode({"email": address}),
                       content_type="application/x-www-form-urlencoded")


@pytest.mark.django_db(transaction=True)  # the worker commits and locks rows as in production
def test_signup_with_the_mail_server_down_is_saved_and_confirmed_by_email_once_it_is_back(
    client, smtp, database_tasks, settings, closed_port
):
    server_port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port

    response = post_signup(client, "reader@example.com")

    assert (response.status_code, response["Location"]) == (302, "/newsletter/check-your-inbox/")
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    # The request only queues the follow-up, which queues the confirmation email.
    assert DBTaskResult.objects.get().task_path == "newsletter.tasks.signup_follow_up"
    run_queued_tasks()
    run_queued_tasks()  # the mail server refuses the connection

    queued = DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at").first()
    assert queued.status == "SUCCESSFUL", queued.traceback
    (retry,) = DBTaskResult.objects.filter(task_path=TASK, status="READY")
    assert retry.run_after > timezone.now()
    assert retry.args_kwargs["kwargs"] == {"subscriber_id": Subscriber.objects.get().pk, "attempt": 2}
    assert Subscriber.objects.get().confirmation_sent_at is None

    settings.EMAIL_PORT = server_port
    run_queued_tasks()  # the retry is not due yet
    assert len(smtp) == 0

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())  # a minute passes
    run_queued_tasks()

    retry.refresh_from_db()
    assert retry.status == "SUCCESSFUL", retry.traceback
    (message,) = smtp.messages_to("reader@example.com")
    assert Subscriber.objects.get().confirmation_sent_at is not None
    assert not DBTaskResult.objects.filter(status="READY").exists()
    # And the link in it works.
    Client().post(path_of(link_to(text_and_html(message)[0], "confirm")))
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE


@pytest.mark.django_db(transaction=True)
def test_confirmation_retries_wait_longer_each_time_and_stop_after_the_last_attempt(
    client, database_tasks, settings, closed_port
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port
    post_signup(client, "reader@example.com")

    waits = []
    for _ in range(10):
        before = timezone.now()
        run_queued_tasks()
        due = DBTaskResult.objects.filter(task_path=TASK, status="READY").first()
        if due is None:
            break
        waits.append(round((due.run_after - before).total_seconds() / 60))
        DBTaskResult.objects.filter(pk=due.pk).update(run_after=timezone.now())

    assert waits == [1, 2, 4, 8, 16, 32, 64]
    assert not DBTaskResult.objects.filter(status="FAILED").exists()
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


@pytest.mark.django_db
def test_with_emails_sent_in_the_request_a_signup_while_the_server_is_down_answers_normally_and_a_second_try_confirms(
    client, smtp, immediate_tasks, settings, closed_port, django_capture_on_commit_callbacks
):
    server_port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port

    with django_capture_on_commit_callbacks(execute=True):
        response = post_signup(client, "reader@example.com")

    assert (response.status_code, response["Location"]) == (302, "/newsletter/check-your-inbox/")
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert Subscriber.objects.get().confirmation_sent_at is None
    # Nothing can wait in a queue here: once the server is back, the reader's second
    # try sends the confirmation, once.
    settings.EMAIL_PORT = server_port
    with django_capture_on_commit_callbacks(execute=True):
        post_signup(client, "reader@example.com")

    (message,) = smtp.messages_to("reader@example.com")
    assert len(smtp) == 1
    assert Subscriber.objects.get().confirmation_sent_at is not None
    Client().post(path_of(link_to(text_and_html(message)[0], "confirm")))
    assert Subscriber.objects.get().status == Subscriber.Status.ACTIVE

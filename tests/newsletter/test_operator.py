"""What editors and operators do: the subscriber admin, digests, imports, bounces."""

import base64
import csv
import datetime
import io
import json

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from newsletter import services
from newsletter.models import Delivery, Digest, Subscriber
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.NEWSLETTER_EMAIL_RATE_LIMIT = 0


def subscriber(email, status=Subscriber.Status.ACTIVE, **kwargs):
    return Subscriber.objects.create(email=email, status=status, **kwargs)


def test_subscriber_admin_filters_searches_and_draws_the_weekly_chart(staff_client):
    now = timezone.now()
    subscriber("active@example.com", confirmed_at=now - datetime.timedelta(days=20),
               created=now - datetime.timedelta(days=21))
    subscriber("new@example.com", status=Subscriber.Status.PENDING)
    changelist = reverse("admin:newsletter_subscriber_changelist")
    html = staff_client.get(changelist).content.decode()
    assert "<svg" in html and html.count("<rect") == 12
    assert "now 1)" in html  # one active subscriber at the end of this week
    assert "new@example.com" in staff_client.get(changelist, {"status__exact": "pending"}).content.decode()
    assert "active@example.com" not in staff_client.get(changelist, {"q": "new@"}).content.decode()


def test_consent_record_is_read_only_in_admin(staff_client):
    s = subscriber("c@example.com", consent_ip="198.51.100.9", consent_text_version="2026-11")
    html = staff_client.get(reverse("admin:newsletter_subscriber_change", args=[s.pk])).content.decode()
    assert "198.51.100.9" in html
    assert 'name="consent_ip"' not in html


def test_csv_export_and_import_round_trip(staff_client, tmp_path):
    for n in range(3):
        subscriber(f"reader{n}@example.com", confirmed_at=timezone.now())
    subscriber("gone@example.com", status=Subscriber.Status.UNSUBSCRIBED)
    response = staff_client.post(reverse("admin:newsletter_subscriber_changelist"), {
        "action": "export_csv", "_selected_action": list(Subscriber.objects.values_list("pk", flat=True)),
    })
    exported = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert {r["email"] for r in rows} == {"reader0@example.com", "reader1@example.com",
                                          "reader2@example.com", "gone@example.com"}
    path = tmp_path / "subscribers.csv"
    path.write_text(exported)
    Subscriber.objects.filter(status=Subscriber.Status.ACTIVE).delete()
    call_command("import_subscribers", str(path), "--confirmed", stdout=io.StringIO(), stderr=io.StringIO())
    assert Subscriber.objects.active().count() == 3
    assert Subscriber.objects.get(email="gone@example.com").status == Subscriber.Status.UNSUBSCRIBED


def test_csv_export_cells_cannot_run_as_spreadsheet_formulas(staff_client):
    """An address signup accepts can start with "=": the editor's spreadsheet must show
    it as text, not run it."""
    hostile = subscriber("=1+2@example.com", signup_form="@SUM(1+9)")
    response = staff_client.post(reverse("admin:newsletter_subscriber_changelist"), {
        "action": "export_csv", "_selected_action": [hostile.pk],
    })
    row = next(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["email"] == "'=1+2@example.com"
    assert row["signup_form"] == "'@SUM(1+9)"


def test_import_reports_bad_rows_by_line_and_is_idempotent(tmp_path):
    path = tmp_path / "list.csv"
    path.write_text("name,email\nAnn,Ann@Example.com\nBob,not-an-address\nCy,\nDee, dee@example.com \n"
                    "Eve,\"eve@example.com\nBcc: x@example.com\"\nAnn again,ann@example.com\n")
    out, err = io.StringIO(), io.StringIO()
    call_command("import_subscribers", str(path), stdout=out, stderr=err)
    assert "line 3:" in err.getvalue() and "not-an-address" in err.getvalue()
    assert "line 4:" in err.getvalue() and "line 6" in err.getvalue()
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == ["ann@example.com", "dee@example.com"]
    assert set(Subscriber.objects.values_list("status", flat=True)) == {"pending"}
    assert len(mail.outbox) == 0  # confirmations go out after commit, from the task queue
    again = io.StringIO()
    call_command("import_subscribers", str(path), stdout=again, stderr=io.StringIO())
    assert "Imported 0 new" in again.getvalue()
    assert Subscriber.objects.count() == 2


def test_import_without_confirmed_asks_for_confirmation(tmp_path, django_capture_on_commit_callbacks):
    path = tmp_path / "list.txt"
    path.write_text("one@example.com\ntwo@example.com\n")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_subscribers", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert sorted(m.to[0] for m in mail.outbox) == ["one@example.com", "two@example.com"]


def test_import_of_a_missing_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_subscribers", str(tmp_path / "nope.csv"))


def test_mark_bounced_stops_mail_to_those_addresses():
    subscriber("bounce@example.com")
    subscriber("fine@example.com")
    call_command("mark_bounced", "BOUNCE@example.com", "unknown@example.com", stdout=io.StringIO())
    assert Subscriber.objects.get(email="bounce@example.com").status == Subscriber.Status.BOUNCED
    assert list(Subscriber.objects.active().values_list("email", flat=True)) == ["fine@example.com"]


@pytest.mark.parametrize("record, status", [
    ({"RecordType": "Bounce", "Type": "HardBounce", "TypeCode": 1}, Subscriber.Status.BOUNCED),
    ({"RecordType": "SpamComplaint", "Type": "SpamComplaint", "TypeCode": 512}, Subscriber.Status.COMPLAINED),
])
def test_anymail_webhook_marks_bounces_and_complaints(client, record, status):
    subscriber("reader@example.com")
    payload = {**record, "ID": 42, "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
               "Email": "reader@example.com", "Recipient": "reader@example.com",
               "BouncedAt": "2026-11-24T10:00:00Z", "Description": "The server was unable to deliver."}
    auth = "Basic " + base64.b64encode(b"tests:webhook-secret").decode()
    response = client.post("/anymail/postmark/tracking/", json.dumps(payload),
                           content_type="application/json", HTTP_AUTHORIZATION=auth)
    assert response.status_code == 200
    assert Subscriber.objects.get(email="reader@example.com").status == status


def test_anymail_webhook_refuses_requests_without_the_secret(client):
    subscriber("reader@example.com")
    payload = {"RecordType": "Bounce", "Type": "HardBounce", "Email": "reader@example.com"}
    response = client.post("/anymail/postmark/tracking/", json.dumps(payload), content_type="application/json")
    assert response.status_code in (400, 401, 403)
    assert Subscriber.objects.get(email="reader@example.com").status == Subscriber.Status.ACTIVE


def make_digest():
    ArticleFactory(title="A Fresh Explainer", publish_at=timezone.now() - datetime.timedelta(hours=2))
    return services.digest_prepare()


def test_digest_admin_shows_articles_state_deliveries_and_a_preview(staff_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    digest = make_digest()
    subscriber("a@example.com")
    services.digest_send(digest=digest)
    html = staff_client.get(reverse("admin:newsletter_digest_changelist")).content.decode()
    assert digest.subject in html and "Sent" in html
    assert '<td class="field-delivery_count">1</td>' in html
    preview = staff_client.get(reverse("admin:newsletter_digest_preview", args=[digest.pk])).content.decode()
    email_url = reverse("admin:newsletter_digest_preview_email", args=[digest.pk])
    assert "A Fresh Explainer" in preview and "List-Unsubscribe" in preview and f'src="{email_url}"' in preview
    assert "A Fresh Explainer" in staff_client.get(email_url).content.decode()


def test_editor_sends_a_test_digest_to_themselves(staff_client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    digest = make_digest()
    staff_client.post(reverse("admin:newsletter_digest_changelist"),
                      {"action": "send_test", "_selected_action": [digest.pk]})
    assert [m.to for m in mail.outbox] == [["editor@example.com"]]
    assert not Delivery.objects.exists()  # a test is not a delivery


def test_admin_actions_resend_and_unsubscribe(staff_client, django_capture_on_commit_callbacks):
    pending = subscriber("p@example.com", status=Subscriber.Status.PENDING)
    active = subscriber("a@example.com")
    changelist = reverse("admin:newsletter_subscriber_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(changelist, {"action": "resend_confirmation", "_selected_action": [pending.pk, active.pk]})
    assert [m.to for m in mail.outbox] == [["p@example.com"]]
    staff_client.post(changelist, {"action": "unsubscribe", "_selected_action": [active.pk]})
    assert Subscriber.objects.get(pk=active.pk).status == Subscriber.Status.UNSUBSCRIBED


def test_no_new_articles_means_no_digest():
    assert services.digest_prepare() is None
    assert not Digest.objects.exists()


def test_import_refuses_what_the_signup_form_refuses(tmp_path):
    path = tmp_path / "list.txt"
    path.write_text("ok@example.com\na@b\u2028c.example\nzero\u200bwidth@example.com\n", encoding="utf-8")
    err = io.StringIO()
    call_command("import_subscribers", str(path), "--confirmed", stdout=io.StringIO(), stderr=err)
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["ok@example.com"]
    assert "line 2" in err.getvalue() and "line 3" in err.getvalue()


def test_an_old_confirmation_link_cannot_undo_an_unsubscribe(client):
    from newsletter import tokens

    reader = subscriber("left@example.com", status=Subscriber.Status.PENDING)
    link = reverse("newsletter:confirm", args=[tokens.confirmation_token(reader)])
    client.post(link)
    services.subscriber_unsubscribe(subscriber=Subscriber.objects.get(pk=reader.pk))
    response = client.post(link)
    assert response.status_code == 400 and "<h1>You have unsubscribed</h1>" in response.content.decode()
    assert Subscriber.objects.get(pk=reader.pk).status == Subscriber.Status.UNSUBSCRIBED

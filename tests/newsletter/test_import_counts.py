"""The subscriber import says how many it really added: an address that was already
there, in whatever case, or that another import or signup added at the same moment,
is "already there", never "new"."""

import io
import re

import pytest
from django.core.management import call_command

from newsletter.models import Subscriber
from tests.liveserver import LiveSite
from tests.newsletter.helpers import run_together

ADDRESSES = 2500  # three batches of the import


def imported(output: str) -> tuple[int, int]:
    found = re.search(r"Imported (\d+) new subscriber\(s\) .*; (\d+) already there", output)
    assert found, output
    return int(found.group(1)), int(found.group(2))


@pytest.mark.django_db
def test_an_address_stored_with_capitals_is_counted_as_already_there_not_as_new(tmp_path, django_capture_on_commit_callbacks):
    # Written before addresses were normalized (or by hand in the shell).
    Subscriber.objects.create(email="Ada.Lovelace@Example.com", status=Subscriber.Status.ACTIVE)
    path = tmp_path / "list.csv"
    path.write_text("email\nada.lovelace@example.com\nnew.reader@example.com\n")
    out = io.StringIO()

    with django_capture_on_commit_callbacks() as callbacks:
        call_command("import_subscribers", str(path), stdout=out, stderr=io.StringIO())

    assert imported(out.getvalue()) == (1, 1)
    assert sorted(Subscriber.objects.values_list("email", "status")) == [
        ("Ada.Lovelace@Example.com", "active"), ("new.reader@example.com", "pending"),
    ]
    assert len(callbacks) == 1, "one confirmation email, for the one new subscriber"


def test_two_imports_of_one_list_at_the_same_moment_count_each_address_as_new_once(tmp_path, database_url):
    site = LiveSite(tmp_path, **({"DATABASE_URL": database_url} if database_url else {}))
    site.manage("migrate", "--noinput")
    path = tmp_path / "list.csv"
    path.write_text("email\n" + "".join(f"reader{n:04}@example.com\n" for n in range(ADDRESSES)))
    command = ["import_subscribers", str(path), "--confirmed"]

    results = run_together(site.env, tmp_path, command, command)

    report = "\n---\n".join(output for _, output in results)
    assert [status for status, _ in results] == [0, 0], report
    counts = [imported(output) for _, output in results]
    assert sum(new for new, _ in counts) == ADDRESSES, report
    assert all(new + existing == ADDRESSES for new, existing in counts), report
    stored = site.manage("shell", "-c", "from newsletter.models import Subscriber; print(Subscriber.objects.count())")
    assert int(stored.split()[-1]) == ADDRESSES

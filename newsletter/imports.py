"""Importing a list of subscribers from CSV: every address checked, safe to run twice."""

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone

from .forms import SignupForm
from .models import Subscriber

BATCH = 1000


@dataclass
class ImportResult:
    created: int = 0
    existing: int = 0
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def read_rows(lines: Iterable[str]) -> Iterable[tuple[int, str]]:
    """(line number, address) from a CSV with an "email" column, or one address per line."""
    reader = csv.reader(lines)
    first = next(reader, None)
    if first is None:
        return
    header = [cell.strip().lower() for cell in first]
    column = header.index("email") if "email" in header else None
    if column is None:
        yield 1, first[0] if first else ""
        column = 0
    while True:
        start = reader.line_num + 1  # a quoted field may span lines: report where the row starts
        row = next(reader, None)
        if row is None:
            return
        yield start, row[column] if len(row) > column else ""


def check_address(address: str) -> str:
    """The normalized address, or ValidationError with what is wrong with it.

    The same rules as the signup form, so an import cannot bring in what the form refuses.
    """
    if any(ch in address for ch in "\r\n\x00"):
        raise ValidationError("contains a line break or a NUL character")
    if not address.strip():
        raise ValidationError("is empty")
    form = SignupForm(data={"email": address.strip()})
    if not form.is_valid():
        raise ValidationError(form.errors["email"][0])
    return form.cleaned_data["email"]


def insert_new(subscribers: list[Subscriber]) -> list[Subscriber]:
    """Insert ``subscribers``; return those really inserted.

    One statement for the whole batch; when an address arrived meanwhile (a signup, or
    another import), that batch goes again one row at a time, so the ones that now
    exist are left out and never counted as new.
    """
    try:
        with transaction.atomic():
            return Subscriber.objects.bulk_create(subscribers)
    except IntegrityError:
        pass
    created = []
    for subscriber in subscribers:
        try:
            with transaction.atomic():
                subscriber.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(subscriber)
    return created


def subscribers_import(
    *,
    rows: Iterable[tuple[int, str]],
    confirmed: bool,
    source: str,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Add the addresses that are not there yet; leave existing subscribers untouched.

    With ``confirmed`` (only for lists that consented elsewhere) new subscribers are
    active, with a consent record naming the import; otherwise they are pending and
    each gets a confirmation email (double opt-in).
    """
    from .services import confirmation_request

    result = ImportResult()
    batch: dict[str, int] = {}

    def flush():
        # Case-insensitive, as the database's unique constraint is: an address stored
        # with capitals before addresses were normalized is the same subscriber.
        existing = set(
            Subscriber.objects.annotate(address=Lower("email")).filter(address__in=batch)
            .values_list("address", flat=True)
        )
        now = timezone.now()
        new = [
            Subscriber(
                email=email,
                status=Subscriber.Status.ACTIVE if confirmed else Subscriber.Status.PENDING,
                signup_form="import",
                confirmed_at=now if confirmed else None,
                consent_at=now if confirmed else None,
                consent_text_version=f"import:{source}"[:20] if confirmed else "",
            )
            for email in batch if email not in existing
        ]
        created = insert_new(new)
        if not confirmed:
            for subscriber in created:
                confirmation_request(subscriber=subscriber)
        result.created += len(created)
        result.existing += len(batch) - len(created)
        if progress:
            progress(len(batch))
        batch.clear()

    for line, address in rows:
        try:
            email = check_address(address)
        except ValidationError as error:
            shown = address.strip()[:80].encode("unicode_escape").decode()
            result.problems.append((line, f"“{shown}” {error.messages[0].rstrip('.').lower()}"))
            if progress:
                progress(1)
            continue
        if email in batch:
            result.existing += 1  # the same address twice in the file
            continue
        batch[email] = line
        if len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return result

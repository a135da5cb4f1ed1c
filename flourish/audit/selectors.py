"""Reading the audit log: the filtered entries of one organisation, and CSV rows."""

import csv
import io
from datetime import datetime, time

from django.utils import timezone

from .models import Entry

COLUMNS = ["when", "who", "verb", "object type", "object id", "object", "from", "details"]
# A cell starting with one of these is a formula to a spreadsheet: prefix it with ' so it
# is read as text (OWASP's CSV-injection advice).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def entries_for(organisation, *, person: str = "", verb: str = "", since=None, until=None):
    entries = Entry.objects.filter(organisation_id=organisation.pk)
    if person:
        entries = entries.filter(actor_email__icontains=person.strip())
    if verb:
        entries = entries.filter(verb=verb)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(at__gte=timezone.make_aware(datetime.combine(since, time.min), zone))
    if until:
        entries = entries.filter(at__lte=timezone.make_aware(datetime.combine(until, time.max), zone))
    return entries


def verbs_for(organisation) -> list[str]:
    return sorted(set(Entry.objects.filter(organisation_id=organisation.pk).values_list("verb", flat=True)))


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def details_text(details: dict) -> str:
    return "; ".join(f"{key}={value}" for key, value in sorted(details.items()))


def as_csv(entries) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for entry in entries.iterator(chunk_size=2000):
        writer.writerow([safe_cell(v) for v in (
            timezone.localtime(entry.at).isoformat(timespec="seconds"), entry.actor_email or "(command line)",
            entry.verb, entry.object_type, entry.object_id, entry.object_label, entry.address or "",
            details_text(entry.details),
        )])
    return out.getvalue()

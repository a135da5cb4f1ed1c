"""Storage limitation: what each organisation's retention periods say has expired is
de-identified or deleted. `flourish retention apply` runs it (daily, from the scheduler);
`--dry-run` lists what would go and changes nothing.

- raters' names, emails and employers, once their cycle closed longer ago than the
  organisation keeps rater contacts: replaced by "Rater N" and blanks, their links deleted
  (the answers stay, anonymous, for the report and research);
- raters' comments, once the cycle closed longer ago than comments are kept: removed from
  the stored answers and from the released report (and its cached page);
- sign-in records of django-axes (attempts, access and failure logs with addresses and
  browsers): site-wide records, so the strictest organisation's period applies to all;
- audit entries older than the organisation's audit period (entries with no organisation:
  the strictest period).
"""

from dataclasses import dataclass, field
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from flourish.accounts.models import Organisation
from flourish.audit.actions import purge_before, record
from flourish.audit.models import Entry
from flourish.feedback.models import Cycle, Rater, RaterLink, Response
from flourish.jobs.models import Delivery, Job

from .models import OrganisationSettings

DEFAULTS = OrganisationSettings()  # the periods of an organisation that never opened its settings
DE_IDENTIFIED = "Rater {n}"


@dataclass
class Plan:
    """What expired, per organisation name (or "all organisations") and kind of record."""
    counts: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, where: str, what: str, n: int) -> None:
        if n:
            self.counts.setdefault(where, {})[what] = self.counts.get(where, {}).get(what, 0) + n

    def lines(self) -> list[str]:
        return [f"{where}: {n} {what}" for where, kinds in sorted(self.counts.items()) for what, n in kinds.items()]


def _periods(organisation) -> OrganisationSettings:
    return OrganisationSettings.objects.filter(organisation=organisation).first() or DEFAULTS


def _closed_before(organisation, cutoff):
    return Cycle.objects.filter(organisation=organisation, closed_at__isnull=False, closed_at__lt=cutoff)


def _raters_to_deidentify(organisation, now, periods):
    cutoff = now - timedelta(days=periods.retain_rater_contacts_days)
    return Rater.objects.filter(cycle__in=_closed_before(organisation, cutoff)).exclude(
        name__startswith="Rater ", email="", employer="")


def _comments_to_remove(organisation, now, periods):
    cutoff = now - timedelta(days=periods.retain_comments_days)
    cycles = _closed_before(organisation, cutoff)
    responses = Response.objects.filter(cycle__in=cycles).exclude(comments={})
    reports = [c for c in cycles.exclude(report__isnull=True) if c.report.get("comments")]
    return responses, reports


def _strictest(attribute: str) -> int:
    periods = [getattr(s, attribute) for s in OrganisationSettings.objects.all()]
    return min(periods + [getattr(DEFAULTS, attribute)]) if periods else getattr(DEFAULTS, attribute)


def _sign_in_logs(now):
    cutoff = now - timedelta(days=_strictest("retain_sign_in_logs_days"))
    return [model.objects.filter(attempt_time__lt=cutoff) for model in (AccessAttempt, AccessLog, AccessFailureLog)]


def _jobs_with_addresses(now):
    """Finished background jobs that still hold the address of the request that queued them
    (imports carry it to their audit entry). Past the sign-in records' period it goes, as
    theirs does; the job row itself stays, for its result page."""
    cutoff = now - timedelta(days=_strictest("retain_sign_in_logs_days"))
    return Job.objects.filter(finished_at__lt=cutoff, args__has_key="address").exclude(args__address=None)


def plan(now=None) -> Plan:
    now = now or timezone.now()
    result = Plan()
    for organisation in Organisation.objects.all():
        periods = _periods(organisation)
        result.add(organisation.name, "raters' names and emails to de-identify",
                   _raters_to_deidentify(organisation, now, periods).count())
        responses, reports = _comments_to_remove(organisation, now, periods)
        result.add(organisation.name, "responses' comments to delete", responses.count())
        result.add(organisation.name, "released reports' comments to delete", len(reports))
        result.add(organisation.name, "audit entries to delete", Entry.objects.filter(
            organisation_id=organisation.pk, at__lt=now - timedelta(days=periods.retain_audit_days)).count())
    result.add("all organisations", "sign-in records to delete", sum(q.count() for q in _sign_in_logs(now)))
    result.add("all organisations", "background jobs' request addresses to forget", _jobs_with_addresses(now).count())
    result.add("all organisations", "audit entries without an organisation to delete", Entry.objects.filter(
        organisation_id=None, at__lt=now - timedelta(days=_strictest("retain_audit_days"))).count())
    return result


@transaction.atomic
def apply(now=None) -> Plan:
    """Do what `plan()` lists, in one transaction."""
    now = now or timezone.now()
    done = plan(now)
    for organisation in Organisation.objects.all():
        periods = _periods(organisation)
        for cycle_id in _raters_to_deidentify(organisation, now, periods).values_list("cycle_id", flat=True).distinct():
            raters = list(Rater.objects.filter(cycle_id=cycle_id).order_by("pk"))
            for n, rater in enumerate(raters, start=1):
                rater.name, rater.email, rater.employer = DE_IDENTIFIED.format(n=n), "", ""
                rater.save(update_fields=["name", "email", "employer"])
            RaterLink.objects.filter(rater__cycle_id=cycle_id).delete()
            # The mail queue's records of their invitations and reminders held the addresses too.
            deliveries = Delivery.objects.filter(object_key__in=[f"rater:{r.pk}" for r in raters])
            Job.objects.filter(key__in=[f"delivery:{pk}" for pk in deliveries.values_list("pk", flat=True)]).delete()
            deliveries.delete()
        responses, reports = _comments_to_remove(organisation, now, periods)
        responses.update(comments={})
        for cycle in reports:
            cycle.report = {**cycle.report, "comments": {}}
            cycle.save(update_fields=["report"])
            if cycle.released_at:  # the rendered page is cached per release and view
                cache.delete_many([f"report-body:{cycle.pk}:{cycle.released_at.isoformat()}:{view}"
                                   for view in ("bars", "radar")])
        purge_before(organisation.pk, now - timedelta(days=periods.retain_audit_days))
        if done.counts.get(organisation.name):
            record(None, "retention-applied", organisation, **{
                what.split(" to ")[0].replace("'", "").replace(" ", "_")[:40]: n
                for what, n in done.counts[organisation.name].items()})
    for queryset in _sign_in_logs(now):
        queryset.delete()
    for job in _jobs_with_addresses(now):
        job.args = {**job.args, "address": None}
        job.save(update_fields=["args"])
    purge_before(None, now - timedelta(days=_strictest("retain_audit_days")))
    return done

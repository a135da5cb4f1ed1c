"""Writes for self-assessments; each function is one transaction."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from flourish.core.actions import NotAllowed

from .models import SelfAssessment


@transaction.atomic
def start(leader, organisation, framework_version) -> SelfAssessment:
    return SelfAssessment.objects.create(
        leader=leader, organisation=organisation, framework_version=framework_version
    )


RECENT_ENOUGH = timedelta(days=30)  # a self-assessment this recent still speaks for the leader


@transaction.atomic
def own_part_of_a_round(leader, organisation, framework_version) -> SelfAssessment:
    """The leader's own view in a new 360° round: their self-assessment on this version that
    is in no other round and was completed in the last 30 days or is still in progress;
    else a new one. (Starting a round used to make an empty one every time, even on the
    morning one was finished, and identical entries piled up.)"""
    recent = SelfAssessment.objects.filter(
        leader=leader, organisation=organisation, framework_version=framework_version, cycle__isnull=True,
    ).filter(Q(completed__isnull=True) | Q(completed__gte=timezone.now() - RECENT_ENOUGH))
    chosen = recent.order_by(F("completed").desc(nulls_last=True), "-started", "-pk").first()
    return chosen or start(leader, organisation, framework_version)


def _locked(assessment) -> SelfAssessment:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    locked = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.is_complete:
        raise NotAllowed("This self-assessment is complete and can no longer change. Start a new one.")
    return locked


@transaction.atomic
def save_answers(assessment, process_id: str, answers: dict, importance: int | None):
    """Record one process's answers (item id -> 1..5 or None) and its importance rating."""
    locked = _locked(assessment)
    process = locked.framework_version.process(process_id)
    if process is None:
        raise NotAllowed(f"There is no process {process_id!r} in this framework.")
    item_ids = {item["id"] for item in process["items"]}
    unknown = set(answers) - item_ids
    if unknown:
        raise NotAllowed(f"Unknown item(s) for {process['name']}: {', '.join(sorted(unknown))}")
    for item_id, value in answers.items():
        if value is not None and value not in (1, 2, 3, 4, 5):
            raise NotAllowed(f"Item {item_id}: the answer must be 1 to 5 or not able to observe.")
    if importance is not None and importance not in (1, 2, 3, 4, 5):
        raise NotAllowed(f"{process['name']}: importance must be 1 to 5.")
    locked.answers.update(answers)
    if importance is not None:
        locked.importance[process_id] = importance
    locked.save(update_fields=["answers", "importance", "updated"])
    assessment.answers, assessment.importance = locked.answers, locked.importance
    return locked


@transaction.atomic
def complete(assessment) -> SelfAssessment:
    locked = _locked(assessment)
    missing = [
        p["name"] for p in locked.framework_version.processes if not locked.process_is_answered(p)
    ]
    if missing:
        raise NotAllowed("Answer every question first. Still to do: " + "; ".join(missing) + ".")
    locked.completed = timezone.now()
    locked.save(update_fields=["completed", "updated"])
    return locked


@transaction.atomic
def choose_focus(assessment, process_ids: list[str]) -> SelfAssessment:
    known = [p["id"] for p in assessment.framework_version.processes]
    unknown = [pid for pid in process_ids if pid not in known]
    if unknown:
        raise NotAllowed(f"Unknown process(es): {', '.join(unknown)}")
    if len(process_ids) > 3:
        raise NotAllowed("Choose at most three processes to work on.")
    assessment.focus = [pid for pid in known if pid in process_ids]
    assessment.save(update_fields=["focus", "updated"])
    return assessment

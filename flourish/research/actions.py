"""Writes for research consent and runs of the model's tests. Each public function is
one transaction. Consent is opt-in and can be withdrawn at any time; withdrawing takes
the data out of every later export and run (runs already made are not changed)."""

from django.db import transaction

from flourish.core.actions import NotAllowed
from flourish.feedback.models import Cycle, Response
from flourish.selfassess.models import SelfAssessment

from .models import ModelTestRun


@transaction.atomic
def set_rater_consent(rater, consent: bool) -> Response:
    """A rater's own choice for their answers. Creates nothing: with no answers yet there
    is nothing to share."""
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    response = Response.objects.select_for_update().filter(rater=rater).first()
    if response is None:
        raise NotAllowed("There is nothing to share yet: you have not given any answers.")
    if response.research_consent != bool(consent):
        response.research_consent = bool(consent)
        response.save(update_fields=["research_consent"])
    return response


@transaction.atomic
def set_self_assessment_consent(leader, assessment, consent: bool) -> SelfAssessment:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    if assessment.leader_id != leader.pk:
        raise NotAllowed("Only the leader can choose to share their own self-assessment.")
    if not assessment.is_complete:
        raise NotAllowed("Only a completed self-assessment can be shared.")
    if assessment.research_consent != bool(consent):
        assessment.research_consent = bool(consent)
        assessment.save(update_fields=["research_consent"])
    return assessment


@transaction.atomic
def set_cycle_consent(leader, cycle, consent: bool) -> Cycle:
    # Row lock on PostgreSQL; on SQLite every transaction is BEGIN IMMEDIATE (settings.py), the same guarantee.
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.leader_id != leader.pk:
        raise NotAllowed("Only the leader can choose to share feedback about them.")
    if cycle.research_consent != bool(consent):
        cycle.research_consent = bool(consent)
        cycle.save(update_fields=["research_consent"])
    return cycle


@transaction.atomic
def export_dataset(organisations, reader, fmt: str) -> bytes:
    """Build and return one export (a zip of the data, its codebook and a README), recording
    its rater rows in the disclosure ledger so that later exports to the same audience are
    audited against them."""
    from . import dataset, exports, release

    if fmt not in exports.FORMATS:
        raise NotAllowed(f"Unknown export format {fmt!r}: choose one of {', '.join(sorted(exports.FORMATS))}.")
    ds = dataset.build(organisations, reader=reader)
    release.record(ds.selection)
    return exports.bundle(ds, fmt)


@transaction.atomic
def record_run(researcher, results: dict) -> ModelTestRun:
    return ModelTestRun.objects.create(researcher=researcher, n=results.get("n_rows", 0), results=results)


MODEL_TESTS_JOB = "research.model_tests"


@transaction.atomic
def start_model_tests(researcher, ds, version_key: str):
    """Queue the model's tests on one framework version (they take from seconds to about a
    minute: CFA by ML and WLSMV, invariance, reliability). Asking again while the researcher's
    data are unchanged returns the same job; new data make a new one."""
    import hashlib
    import json

    from flourish.jobs.actions import enqueue

    rows = [r for r in ds.rows if f"{r['framework']}:{r['framework_version']}" == version_key]
    digest = hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return enqueue(MODEL_TESTS_JOB, key=f"{MODEL_TESTS_JOB}:{researcher.pk}:{version_key}:{digest}",
                   owner=researcher, label=f"Testing the model on {len(rows)} rows ({version_key})",
                   args={"version": version_key})

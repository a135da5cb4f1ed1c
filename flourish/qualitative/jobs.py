"""The qualitative workbench's background jobs: an assisted-coding run (the model over
thousands of units takes tens of seconds, too long for a request), a large REFI-QDA
import, and the quotations as a PDF."""

from django.db import transaction
from django.http import Http404
from django.urls import reverse

from flourish import audit
from flourish.accounts.models import User
from flourish.jobs.actions import JobFailed, enqueue, store_file
from flourish.jobs.models import Job, JobStatus
from flourish.jobs.permissions import while_allowed
from flourish.jobs.registry import handler

from . import actions_assist, actions_exchange
from .actions import QUOTATIONS_PDF_JOB
from .assist import suggest as assist
from .models import Coder, Project, UnitKind
from .permissions import get_project_for_user, get_visible_layer_for_user

ASSIST_JOB = "qualitative.assist_run"


@transaction.atomic
def queue_assist_run(project, user, *, unit_kind, threshold, probability, limit) -> Job:
    """One run at a time per project: asking while one is waiting or running returns it."""
    under_way = Job.objects.filter(kind=ASSIST_JOB, args__project_id=project.pk,
                                   status__in=[JobStatus.QUEUED, JobStatus.RUNNING]).first()
    if under_way is not None:
        return under_way
    runs = Job.objects.filter(kind=ASSIST_JOB, args__project_id=project.pk).count()
    return enqueue(ASSIST_JOB, key=f"{ASSIST_JOB}:{project.pk}:{runs + 1}", owner=user,
                   label=f"Suggesting codes for “{project.name}”", args={
                       "project_id": project.pk, "user_id": user.pk, "unit_kind": unit_kind,
                       "threshold": threshold, "probability": probability, "limit": limit,
                   })


@handler(ASSIST_JOB, max_attempts=2)
def assist_run(context, project_id, user_id, unit_kind, threshold, probability, limit) -> dict:
    try:  # still a lead when it runs, not only when asked
        project, _ = get_project_for_user(User.objects.get(pk=user_id), project_id, lead=True)
    except (Http404, User.DoesNotExist):
        raise JobFailed("Only a lead researcher of the project can ask for suggestions.") from None
    context.progress(5, "Reading the codebook and the uncoded units, then scoring them with the model")
    try:
        # Idempotent: a run replaces the assistant's open suggestions, so running it twice
        # leaves the same suggestions as running it once.
        done = actions_assist.suggest(project, User.objects.get(pk=user_id), unit_kind, similarity_threshold=threshold,
                              probability_threshold=probability, limit=limit)
    except assist.AssistUnavailable as error:
        raise JobFailed(str(error)) from None
    unit = "turns" if done.unit_kind == UnitKind.TURN else "sentences"
    note = (f" The classifier scored {len(done.classifier_codes)} of the codes." if done.classifier_codes else "")
    return {"message": f"{done.made} suggestions for {done.units} uncoded {unit}.{note}",
            "url": reverse("qualitative:assist", args=[project.pk]), "link_text": "See the suggestions"}


IMPORT_JOB = "qualitative.import_qdpx"
# Larger uploads are imported by a worker; smaller ones at once, as before.
IMPORT_IN_BACKGROUND = 1024 * 1024


@transaction.atomic
def queue_import_qdpx(data: bytes, filename: str, organisation, user, name: str = "", address=None) -> Job:
    import uuid

    from flourish.jobs.models import JobUpload

    job = enqueue(IMPORT_JOB, key=f"{IMPORT_JOB}:{uuid.uuid4()}", owner=user, label=f"Importing {filename}",
                  args={"organisation_id": organisation.pk, "user_id": user.pk, "name": name, "address": address})
    JobUpload.objects.create(job=job, filename=filename, data=data)
    return job


@handler(IMPORT_JOB, max_attempts=3)
def import_qdpx(context, organisation_id, user_id, name, address=None) -> dict:
    from flourish.accounts.models import Organisation
    from flourish.jobs.models import JobUpload

    from . import exchange

    job = Job.objects.get(pk=context.job.pk)
    if job.result.get("project_id"):  # imported already, by an attempt whose worker then died
        return job.result
    upload = JobUpload.objects.filter(job=job).first()
    if upload is None:
        raise JobFailed("The uploaded file is no longer here; upload it again.")
    context.progress(10, "Reading and checking the file")
    try:
        with transaction.atomic():
            # The project, the job's record of it and the upload's removal commit together:
            # a second run finds the project and imports nothing again.
            organisation = Organisation.objects.get(pk=organisation_id)
            user = User.objects.get(pk=user_id)
            project, report = actions_exchange.import_qdpx(bytes(upload.data), organisation, user, name)
            # The request that uploaded the file is gone; its address came with the job.
            audit.record(user, "import", project, kind="qdpx", file=upload.filename[:200], address=address)
            result = {"project_id": project.pk, "message": f"Project imported. {project.name}: {report.summary()}",
                      "url": reverse("qualitative:project", args=[project.pk]), "link_text": f"Open {project.name}",
                      "details": [*report.warnings, *report.skipped_lines()]}
            Job.objects.filter(pk=job.pk).update(result=result)
            upload.delete()
    except exchange.FileUnreadable as problem:
        raise JobFailed(f"{upload.filename}: {problem}") from None
    return result


def _quotations_read(job):
    return "quotations-exported", Project.objects.get(pk=job.args["project_id"])


# Readable while the reader may still see that layer (a member of the project; another
# layer than their own only once they chose to compare).
@handler(QUOTATIONS_PDF_JOB, max_attempts=3, audit=_quotations_read,
         may_read=while_allowed(get_visible_layer_for_user, "project_id", "layer_id"))
def quotations_pdf(context, project_id: int, layer_id: int, code_ids=None) -> dict:
    from . import quotations

    project = Project.objects.filter(pk=project_id).first()
    layer = Coder.objects.filter(pk=layer_id, project_id=project_id).first()
    if project is None or layer is None:
        raise JobFailed("The project or its coding layer is no longer in Flourish, so there is nothing to print.")
    codes = list(project.codes.filter(pk__in=code_ids)) if code_ids else None
    context.progress(20, "Laying out the pages")
    content, content_type, name = quotations.export(project, layer, "pdf", codes)
    # store_file replaces: a job run twice leaves one file.
    return {**store_file(context.job, name, content_type, content),
            "message": "The PDF of the quotations is ready.", "link_text": "Open the PDF"}

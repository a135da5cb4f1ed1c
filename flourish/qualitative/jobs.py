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


def _queue_upload(kind: str, *, user, label: str, args: dict, filename: str, data: bytes) -> Job:
    """A job that works on an uploaded file, held (JobUpload) until the import has used it."""
    import uuid

    from flourish.jobs.models import JobUpload

    job = enqueue(kind, key=f"{kind}:{uuid.uuid4()}", owner=user, label=label, args=args)
    JobUpload.objects.create(job=job, filename=filename[:200], data=data)
    return job


def _upload_for(context, done: str):
    """(job, upload) for a job that imports a file; upload None when an earlier attempt
    finished the work already (its worker then died before marking the job done)."""
    from flourish.jobs.models import JobUpload

    job = Job.objects.get(pk=context.job.pk)
    if done in job.result:
        return job, None
    upload = JobUpload.objects.filter(job=job).first()
    if upload is None:
        raise JobFailed("The uploaded file is no longer here; upload it again.")
    return job, upload


def _finish(job, upload, result: dict) -> dict:
    """Record the result and drop the upload in the import's own transaction: a second run
    finds the work done, and the research data is not kept twice."""
    Job.objects.filter(pk=job.pk).update(result=result)
    upload.delete()
    return result


def _still_lead(user_id, project_id):
    """The project and the person, if they are still one of its leads when the job runs."""
    try:
        user = User.objects.get(pk=user_id)
        project, _ = get_project_for_user(user, project_id, lead=True)
    except (Http404, User.DoesNotExist):
        raise JobFailed("Only a lead researcher of the project can import into it; nothing was imported.") from None
    return project, user


@transaction.atomic
def queue_import_qdpx(data: bytes, filename: str, organisation, user, name: str = "", address=None) -> Job:
    return _queue_upload(IMPORT_JOB, user=user, label=f"Importing {filename}", filename=filename, data=data,
                         args={"organisation_id": organisation.pk, "user_id": user.pk, "name": name,
                               "address": address})


@handler(IMPORT_JOB, max_attempts=3)
def import_qdpx(context, organisation_id, user_id, name, address=None) -> dict:
    from flourish.accounts.models import Organisation

    from . import exchange

    job, upload = _upload_for(context, "project_id")
    if upload is None:
        return job.result
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
            return _finish(job, upload, {
                "project_id": project.pk, "message": f"Project imported. {project.name}: {report.summary()}",
                "url": reverse("qualitative:project", args=[project.pk]), "link_text": f"Open {project.name}",
                "details": [*report.warnings, *report.skipped_lines()]})
    except exchange.FileUnreadable as problem:
        raise JobFailed(f"{upload.filename}: {problem}") from None


# --- transcripts and codebooks over IMPORT_IN_BACKGROUND, from the sources and exchange pages --

SOURCES_JOB = "qualitative.import_sources"
REVISE_JOB = "qualitative.revise_source"
QDC_JOB = "qualitative.import_qdc"


def _pack(files) -> bytes:
    """Several uploaded files as one (a zip, names kept in order), for one JobUpload."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for index, (filename, data) in enumerate(files):
            archive.writestr(f"{index:05d}/{filename}", data)
    return out.getvalue()


def _unpack(data: bytes) -> list[tuple[str, bytes]]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename.split("/", 1)[1], archive.read(info)) for info in archive.infolist()]


@transaction.atomic
def queue_import_sources(project, user, files, attributes: dict, address=None) -> Job:
    files = list(files)
    names = ", ".join(name for name, _ in files)
    return _queue_upload(SOURCES_JOB, user=user, label=f"Importing {names[:150]} into “{project.name}”",
                         filename=names, data=_pack(files),
                         args={"project_id": project.pk, "user_id": user.pk, "attributes": attributes,
                               "address": address})


@handler(SOURCES_JOB, max_attempts=3)
def import_sources(context, project_id, user_id, attributes, address=None) -> dict:
    from . import actions

    job, upload = _upload_for(context, "imported")
    if upload is None:
        return job.result
    project, user = _still_lead(user_id, project_id)
    context.progress(10, "Reading every transcript")
    try:
        with transaction.atomic():  # all or nothing, with the job's record of it
            created = actions.import_sources(project, user, _unpack(bytes(upload.data)), attributes, by=user,
                                             address=address)
            return _finish(job, upload, {
                "imported": len(created),
                "message": f"Imported {len(created)} transcript{'s' if len(created) != 1 else ''}: "
                           f"{', '.join(s.name for s in created)}.",
                "url": reverse("qualitative:sources", args=[project.pk]), "link_text": "Back to the sources"})
    except actions.NotAllowed as problem:
        raise JobFailed(str(problem)) from None


@transaction.atomic
def queue_revise_source(source, user, filename: str, data: bytes) -> Job:
    return _queue_upload(REVISE_JOB, user=user, label=f"Revising {source.name} from {filename}",
                         filename=filename, data=data,
                         args={"project_id": source.project_id, "source_id": source.pk, "user_id": user.pk})


@handler(REVISE_JOB, max_attempts=3)
def revise_source(context, project_id, source_id, user_id) -> dict:
    from . import actions
    from .permissions import get_source

    job, upload = _upload_for(context, "revised")
    if upload is None:
        return job.result
    project, user = _still_lead(user_id, project_id)
    try:
        source = get_source(project, source_id)
    except Http404:
        raise JobFailed("The transcript is no longer in the project; nothing was revised.") from None
    context.progress(10, "Reading the corrected transcript")
    try:
        with transaction.atomic():
            changed = actions.revise_source(source, user, upload.filename, bytes(upload.data))
            return _finish(job, upload, {
                "revised": source.pk,
                "message": f"The text of {source.name} is revised. " + (
                    f"{len(changed)} coding{'s' if len(changed) != 1 else ''} need checking." if changed
                    else "Every coding still covers the same words."),
                "url": reverse("qualitative:source", args=[project.pk, source.pk]),
                "link_text": f"Back to {source.name}"})
    except actions.NotAllowed as problem:
        raise JobFailed(str(problem)) from None


@transaction.atomic
def queue_import_qdc(project, user, filename: str, data: bytes, address=None) -> Job:
    return _queue_upload(QDC_JOB, user=user, label=f"Adding the codebook {filename} to “{project.name}”",
                         filename=filename, data=data,
                         args={"project_id": project.pk, "user_id": user.pk, "address": address})


@handler(QDC_JOB, max_attempts=3)
def import_qdc(context, project_id, user_id, address=None) -> dict:
    from flourish.core.actions import NotAllowed

    from . import exchange

    job, upload = _upload_for(context, "codes")
    if upload is None:
        return job.result
    project, user = _still_lead(user_id, project_id)
    context.progress(10, "Reading and checking the codebook")
    try:
        with transaction.atomic():
            made, report = actions_exchange.import_qdc(bytes(upload.data), project, user)
            audit.record(user, "import", project, kind="qdc", file=upload.filename[:200], codes=len(made),
                         address=address)
            return _finish(job, upload, {
                "codes": len(made), "message": f"{len(made)} code{'s' if len(made) != 1 else ''} added. "
                                               f"{report.summary()}",
                "url": reverse("qualitative:exchange", args=[project.pk]), "link_text": "Back to import and export",
                "details": [*report.warnings, *report.skipped_lines()]})
    except (exchange.FileUnreadable, NotAllowed) as problem:
        raise JobFailed(f"{upload.filename}: {problem}") from None


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

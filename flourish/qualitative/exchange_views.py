"""REFI-QDA exchange in the browser: import a .qdpx as a new project (researchers), add a .qdc
codebook to a project (its leads), download a project's .qdpx or .qdc (members).

A full .qdpx holds every coding layer, so a coder who is still coding blind (has not yet
chosen to compare, `Coder.compared_at`) cannot download it; leads always can. The codebook
(.qdc) has no codings and is open to every member."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from flourish import audit
from flourish.accounts.permissions import Role, organisations_for

from . import actions_exchange, exchange
from . import jobs as qualitative_jobs
from .actions import NotAllowed
from .forms import ImportCodebookForm, ImportProjectForm
from .permissions import get_workbench_for_user, may_download_project
from .presenters import MemberRole, page


def _exchange_page(request, project, member, layer, status=200, **context):
    is_lead = member.role == MemberRole.LEAD
    if is_lead and "form" not in context:
        context["form"] = ImportCodebookForm()
    return page(request, "qualitative/exchange.html", project, member, "exchange", {
        "stale": len(exchange.stale_codings(project)), "may_download": may_download_project(member, layer),
        "limits": actions_exchange.IMPORT_LIMITS,
        **context,
    }, status=status)


@login_required
def import_qdpx(request):
    organisations = organisations_for(request.user, Role.RESEARCHER)
    if not organisations.exists():
        raise Http404("No such page.")
    form = ImportProjectForm(request.POST or None, request.FILES or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["file"].size > qualitative_jobs.IMPORT_IN_BACKGROUND:
            job = qualitative_jobs.queue_import_qdpx(data["file"].read(), data["file"].name, data["organisation"],
                                                     request.user, data["name"],
                                                     address=audit.client_address(request))
            return redirect("jobs:progress", job_id=job.pk)
        try:
            project, report = actions_exchange.import_qdpx(data["file"].read(), data["organisation"], request.user,
                                                   data["name"])
        except exchange.FileUnreadable as problem:
            form.add_error("file", str(problem))
        except NotAllowed as problem:
            form.add_error("name", str(problem))
        else:
            audit.record(request, "import", project, kind="qdpx", file=data["file"].name[:200])
            return render(request, "qualitative/exchange.html", {"imported": project, "report": report})
    return render(request, "qualitative/exchange.html", {"form": form, "importing": True,
                                                         "limits": actions_exchange.IMPORT_LIMITS},
                  status=400 if form.errors else 200)


@login_required
def exchange_page(request, pk):
    return _exchange_page(request, *get_workbench_for_user(request.user, pk))


@login_required
@require_POST
def import_qdc(request, pk):
    project, member, layer = get_workbench_for_user(request.user, pk, lead=True)
    form = ImportCodebookForm(request.POST, request.FILES)
    if form.is_valid() and form.cleaned_data["file"].size > qualitative_jobs.IMPORT_IN_BACKGROUND:
        upload = form.cleaned_data["file"]
        job = qualitative_jobs.queue_import_qdc(project, request.user, upload.name, upload.read(),
                                                address=audit.client_address(request))
        return redirect("jobs:progress", job_id=job.pk)
    if form.is_valid():
        try:
            made, report = actions_exchange.import_qdc(form.cleaned_data["file"].read(), project, request.user)
        except NotAllowed as problem:
            form.add_error("file", str(problem))
        else:
            audit.record(request, "import", project, kind="qdc", file=form.cleaned_data["file"].name[:200],
                         codes=len(made))
            return _exchange_page(request, project, member, layer, added=made, report=report)
    return _exchange_page(request, project, member, layer, status=400, form=form)


def _download(data: bytes, project, extension: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{slugify(project.name) or "project"}.{extension}"'
    return response


def _exported(request, project, member, layer, make, fmt: str):
    try:
        data = make(project)
    except NotAllowed as problem:  # a broken reference in the database; say so on the page
        return _exchange_page(request, project, member, layer, status=409, export_problem=str(problem))
    audit.record(request, "coding-exported", project, format=fmt)
    return data


@login_required
def export_qdpx(request, pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    if not may_download_project(member, layer):
        raise Http404("No such file.")
    data = _exported(request, project, member, layer, exchange.export_qdpx, "qdpx")
    return data if isinstance(data, HttpResponse) else _download(data, project, "qdpx", "application/zip")


@login_required
def export_qdc(request, pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    data = _exported(request, project, member, layer, exchange.export_qdc, "qdc")
    return data if isinstance(data, HttpResponse) else _download(data, project, "qdc", "application/xml")

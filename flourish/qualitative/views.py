"""Pages for projects, members, sources and their attributes, and speakers. Each view
authorises through `permissions` (404 for anyone not allowed), calls one function of
`actions` and renders or redirects with a message. The codebook and memos are in
`codebook_views`, coding in `coding_views`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from flourish import audit
from flourish.accounts.permissions import Role, organisations_for
from flourish.frameworks.permissions import frameworks_for
from flourish.frameworks.selectors import latest_versions
from flourish.orgadmin.selectors import preselected_framework

from . import actions, selectors
from . import jobs as qualitative_jobs
from .forms import MemberForm, ProjectForm, ReviseForm, SourceAttributesForm, SpeakerForm, UploadForm
from .permissions import can_create_projects, get_member, get_source, get_speaker, get_workbench_for_user
from .presenters import page, uploaded

# --- projects -------------------------------------------------------------------------------

def _project_form(request, data=None):
    organisations = organisations_for(request.user, Role.RESEARCHER)
    versions = latest_versions(frameworks_for(request.user))
    initial = {key: str(pk) for key, pk in preselected_framework(organisations, versions).items()}
    return ProjectForm(data, organisations=organisations, versions=versions, initial=initial)


@login_required
def index(request):
    if not can_create_projects(request.user):
        raise Http404("No such page.")
    form = None
    if request.method == "POST":
        form = _project_form(request, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                project = actions.create_project(request.user, data["organisation"], data["name"], data["framework"],
                                                 description=data["description"], unit_kind=data["unit_kind"])
            except actions.NotAllowed as problem:
                form.add_error("name", str(problem))
            else:
                messages.success(request, f"The project “{project.name}” is ready. Add its transcripts.")
                return redirect("qualitative:project", pk=project.pk)
    return render(request, "qualitative/index.html", {
        "projects": selectors.projects_with_roles(request.user), "form": form or _project_form(request),
    }, status=400 if form is not None else 200)


def _project_page(request, project, member, layer, form=None, status=200):
    return page(request, "qualitative/project.html", project, member, "project", {
        "sources": selectors.sources_with_counts(project, layer),
        "members": project.members.select_related("user"),
        "form": form, "member_form": form or MemberForm(),
        "codes": project.codes.count(), "memos": project.memos.count(),
    }, status=status)


@login_required
def project(request, pk):
    return _project_page(request, *get_workbench_for_user(request.user, pk))


@login_required
@require_POST
def add_member(request, pk):
    project, member, layer = get_workbench_for_user(request.user, pk, lead=True)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            added = actions.add_member(project, form.cleaned_data["email"], form.cleaned_data["role"])
        except actions.NotAllowed as problem:
            form.add_error("email", str(problem))
        else:
            messages.success(request, f"{added.user.get_full_name() or added.user.email} has joined the project "
                                      f"as {added.get_role_display().lower()}.")
            return redirect("qualitative:project", pk=pk)
    return _project_page(request, project, member, layer, form=form, status=400)


@login_required
@require_POST
def remove_member(request, pk, member_pk):
    project, member, _ = get_workbench_for_user(request.user, pk, lead=True)
    removed = get_member(project, member_pk)
    try:
        actions.remove_member(project, removed, by=request)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
        return redirect("qualitative:project", pk=pk)
    messages.success(request, f"{removed.user.get_full_name() or removed.user.email} is no longer a member. "
                              "Their codings stay in the project.")
    if removed.pk == member.pk:
        return redirect("qualitative:index")
    return redirect("qualitative:project", pk=pk)


# --- sources --------------------------------------------------------------------------------

def _sources_page(request, project, member, layer, form=None, status=200):
    return page(request, "qualitative/sources.html", project, member, "sources", {
        "sources": selectors.sources_with_counts(project, layer), "form": form or UploadForm(),
    }, status=status)


@login_required
def sources(request, pk):
    if request.method != "POST":
        return _sources_page(request, *get_workbench_for_user(request.user, pk))
    project, member, layer = get_workbench_for_user(request.user, pk, lead=True)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        files = form.cleaned_data["files"]
        if sum(f.size for f in files) > qualitative_jobs.IMPORT_IN_BACKGROUND:  # a worker reads them
            job = qualitative_jobs.queue_import_sources(project, request.user, [uploaded(f) for f in files],
                                                        form.attributes(), address=audit.client_address(request))
            return redirect("jobs:progress", job_id=job.pk)
        try:
            created = actions.import_sources(project, request.user, [uploaded(f) for f in files],
                                             form.attributes(), by=request)
        except actions.NotAllowed as problem:
            form.add_error("files", str(problem))
        else:
            names = ", ".join(s.name for s in created)
            messages.success(request, f"Imported {len(created)} transcript{'s' if len(created) != 1 else ''}: {names}.")
            return redirect("qualitative:sources", pk=pk)
    return _sources_page(request, project, member, layer, form=form, status=400)


def _source_page(request, project, member, layer, source, attributes_form=None, revise_form=None, status=200):
    codings = list(source.codings.select_related("code", "coder"))
    mine = [c for c in codings if c.coder_id == layer.pk]
    return page(request, "qualitative/source.html", project, member, "sources", {
        "source": source,
        "attributes": sorted((k, v) for k, v in source.attributes.items() if k not in SourceAttributesForm.FIXED),
        "speakers": project.speakers.filter(name__in=source.speakers()),
        "mine": len(mine),
        "to_check": [c for c in mine if not c.is_current],
        # Other layers' codings are not shown (blind coding), only how many need a check.
        "others_to_check": sum(1 for c in codings if c.coder_id != layer.pk and not c.is_current),
        "attributes_form": attributes_form or SourceAttributesForm(attributes=source.attributes),
        "revise_form": revise_form or ReviseForm(),
        "form": attributes_form if attributes_form is not None and attributes_form.errors else revise_form,
    }, status=status)


@login_required
def source(request, pk, source_pk):
    project, member, layer = get_workbench_for_user(request.user, pk)
    return _source_page(request, project, member, layer, get_source(project, source_pk))


@login_required
@require_POST
def source_attributes(request, pk, source_pk):
    project, member, layer = get_workbench_for_user(request.user, pk, lead=True)
    source = get_source(project, source_pk)
    form = SourceAttributesForm(request.POST, attributes=source.attributes)
    if form.is_valid():
        try:
            actions.set_source_attributes(source, form.attributes())
        except actions.NotAllowed as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"The attributes of {source.name} are saved.")
            return redirect("qualitative:source", pk=pk, source_pk=source.pk)
    return _source_page(request, project, member, layer, source, attributes_form=form, status=400)


@login_required
@require_POST
def revise_source(request, pk, source_pk):
    project, member, layer = get_workbench_for_user(request.user, pk, lead=True)
    source = get_source(project, source_pk)
    form = ReviseForm(request.POST, request.FILES)
    if form.is_valid() and form.cleaned_data["file"].size > qualitative_jobs.IMPORT_IN_BACKGROUND:
        job = qualitative_jobs.queue_revise_source(source, request.user, *uploaded(form.cleaned_data["file"]))
        return redirect("jobs:progress", job_id=job.pk)
    if form.is_valid():
        try:
            changed = actions.revise_source(source, request.user, *uploaded(form.cleaned_data["file"]))
        except actions.NotAllowed as problem:
            form.add_error("file", str(problem))
        else:
            messages.success(request, f"The text of {source.name} is revised. " + (
                f"{len(changed)} coding{'s' if len(changed) != 1 else ''} need checking." if changed
                else "Every coding still covers the same words."))
            return redirect("qualitative:source", pk=pk, source_pk=source.pk)
    return _source_page(request, project, member, layer, source, revise_form=form, status=400)


@login_required
def delete_source(request, pk, source_pk):
    project, member, _ = get_workbench_for_user(request.user, pk, lead=True)
    source = get_source(project, source_pk)
    if request.method == "POST":
        actions.delete_source(source, by=request)
        messages.success(request, f"{source.name} and its codings are deleted.")
        return redirect("qualitative:sources", pk=pk)
    return page(request, "qualitative/source_delete.html", project, member, "sources", {
        "source": source, "codings": source.codings.count(), "memos": source.memos.count(),
    })


# --- speakers -------------------------------------------------------------------------------

def _speakers_page(request, project, member, bound=None, status=200):
    speakers = list(project.speakers.all())
    forms_ = [(s, bound if bound is not None and bound.prefix == f"speaker-{s.pk}"
               else SpeakerForm(prefix=f"speaker-{s.pk}", initial=s.attributes)) for s in speakers]
    return page(request, "qualitative/speakers.html", project, member, "speakers", {
        "speaker_forms": forms_, "form": bound,
    }, status=status)


@login_required
def speakers(request, pk):
    project, member, _ = get_workbench_for_user(request.user, pk)
    return _speakers_page(request, project, member)


@login_required
@require_POST
def speaker(request, pk, speaker_pk):
    project, member, _ = get_workbench_for_user(request.user, pk, lead=True)
    found = get_speaker(project, speaker_pk)
    form = SpeakerForm(request.POST, prefix=f"speaker-{found.pk}")
    if form.is_valid():
        try:
            actions.set_speaker_attributes(found, form.attributes(found.attributes))
        except actions.NotAllowed as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"The attributes of {found.name} are saved.")
            return redirect(reverse("qualitative:speakers", args=[pk]) + f"#speaker-{found.pk}")
    return _speakers_page(request, project, member, bound=form, status=400)

"""Per-object lookups for coding projects. Each raises Http404 for anyone not allowed, so
outsiders cannot tell whether a project exists.

- reading and coding: a member of the project who still holds the researcher role in the
  project's organisation (leaving the organisation ends access at once);
- managing (members, sources, codebook structure, adjudication): a member with the lead role;
- blind coding: a member sees only their own layer (and memos on their own codings) until
  they choose to compare (`Coder.compared_at`, a POST to `actions.choose_to_compare`); the
  full project download holds every layer, so it waits for that choice too (leads always may).
"""

from django.db.models import Q
from django.http import Http404

from flourish.accounts.models import Role
from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404

from .models import Code, Coder, CoderKind, Coding, MemberRole, Memo, Project, ProjectMember, Source, Speaker


def projects_for(user):
    if not user.is_authenticated:
        return Project.objects.none()
    return Project.objects.filter(
        members__user=user, organisation__in=organisations_for(user, Role.RESEARCHER)
    ).select_related("organisation", "framework_version__framework")


def can_create_projects(user) -> bool:
    return organisations_for(user, Role.RESEARCHER).exists()


def _get(queryset, pk, what):
    return get_or_404(queryset, what, pk=pk)


def get_project_for_user(user, pk, lead: bool = False) -> tuple[Project, ProjectMember]:
    """The project and the user's membership; with ``lead=True`` only for its leads."""
    project = _get(projects_for(user), pk, "project")
    member = project.members.get(user=user)
    if lead and member.role != MemberRole.LEAD:
        raise Http404("No such project.")
    return project, member


def get_workbench_for_user(user, pk, lead: bool = False) -> tuple[Project, ProjectMember, Coder]:
    """The project, the user's membership and their own coding layer (made when they joined)."""
    project, member = get_project_for_user(user, pk, lead=lead)
    return project, member, project.coders.get(user=user)


def get_member(project, pk) -> ProjectMember:
    return get_or_404(project.members.select_related("user"), "member", pk=pk)


def get_source(project, pk) -> Source:
    return _get(project.sources.all(), pk, "source")


def get_speaker(project, pk) -> Speaker:
    return _get(project.speakers.all(), pk, "speaker")


def get_code(project, pk) -> Code:
    return _get(project.codes.all(), pk, "code")


def get_own_coding(project, coder, pk) -> Coding:
    """A coding on the user's own layer (others' layers are read-only to them)."""
    return _get(Coding.objects.filter(source__project=project, coder=coder).select_related("source", "code"),
                pk, "coding")


def get_memo(project, pk) -> Memo:
    return _get(project.memos.all(), pk, "memo")


def get_own_memo(user, project, layer, pk) -> Memo:
    """A memo the user wrote; one on a coding only while that coding is on their own layer."""
    memo = get_memo(project, pk)
    if memo.author_id != user.pk or (memo.coding_id and memo.coding.coder_id != layer.pk):
        raise Http404("No such memo.")
    return memo


def can_edit_code(user, member, code) -> bool:
    """Leads edit every code; a coder edits the emergent codes they added."""
    return member.role == MemberRole.LEAD or (not code.is_framework and code.created_by_id == user.pk)


def get_editable_code(user, project, member, pk) -> Code:
    code = get_code(project, pk)
    if not can_edit_code(user, member, code):
        raise Http404("No such code.")
    return code


def visible_memos(project, layer):
    """Memos on the project, codes and sources, and on the user's own codings only: memos on
    others' codings would show their coding (blind coding)."""
    return project.memos.filter(Q(coding__isnull=True) | Q(coding__coder=layer)).select_related(
        "author", "code", "source", "coding__code", "coding__source")


def has_chosen_to_compare(layer) -> bool:
    """Whether the layer's coder has chosen to see the other layers (agreement, adjudication,
    another layer's synthesis)."""
    return layer.compared_at is not None


def may_download_project(member, layer) -> bool:
    return member.role == MemberRole.LEAD or has_chosen_to_compare(layer)


def get_visible_layer_for_user(user, project_id, layer_id) -> tuple[Project, Coder]:
    """A coding layer this member may read now: their own, or another layer of the project
    once they have chosen to compare (404 otherwise, as for outsiders)."""
    project, _, own = get_workbench_for_user(user, project_id)
    layer = get_or_404(project.coders.all(), "coding layer", pk=layer_id)
    if layer.pk != own.pk and not has_chosen_to_compare(own):
        raise Http404("No such coding layer.")
    return project, layer


def choose_layer(project, own, chosen: str | None) -> Coder:
    """The layer a synthesis page shows: the one chosen (404 for a layer of another project),
    else the consensus layer once it has codings and the member has chosen to compare, else
    their own. Reads only: showing another layer waits for the choice to compare (the view asks)."""
    if chosen:
        return get_or_404(project.coders.all(), "coding layer", pk=chosen)
    consensus = project.coders.filter(kind=CoderKind.CONSENSUS).first()
    ready = consensus is not None and has_chosen_to_compare(own) and consensus.codings.exists()
    return consensus if ready else own


def get_suggestion(project, pk) -> Coding:
    """An open suggestion of this project (on its assistant layer, not rejected), or 404."""
    from .assist.suggest import OPEN_METHODS

    return get_or_404(Coding.objects.select_related("source", "code", "coder"), "suggestion",
                      pk=pk, coder__project=project, coder__kind=CoderKind.ASSISTANT, method__in=OPEN_METHODS)

"""Per-object lookups for coding projects. Each raises Http404 for anyone not allowed, so
outsiders cannot tell whether a project exists.

- reading and coding: a member of the project who still holds the researcher role in the
  project's organisation (leaving the organisation ends access at once);
- managing (members, sources, codebook structure, adjudication): a member with the lead role.
"""

from django.http import Http404

from flourish.accounts.models import Role
from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404

from .models import Code, Coding, MemberRole, Memo, Project, ProjectMember, Source, Speaker


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

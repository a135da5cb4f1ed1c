"""Reads that views, the command line and other modules share (no writes here)."""

from django.db.models import Count, Q

from .models import Adjudication, Coder
from .permissions import projects_for


def person_layer(project, user) -> Coder:
    """The user's own coding layer in ``project`` (made when they joined, `actions.add_member`)."""
    return project.coders.get(user=user)


def sources_with_counts(project, layer):
    """The project's sources, each with ``mine``: how many codings the layer has on it."""
    return project.sources.annotate(mine=Count("codings", filter=Q(codings__coder=layer)))


def codes_with_counts(project, layer):
    """The codes, each with ``n_mine`` (the layer's codings with it) and ``n_memos``. Only
    the user's own codings are counted: the others' stay unseen (blind coding)."""
    return project.codes.annotate(n_mine=Count("codings", filter=Q(codings__coder=layer), distinct=True),
                                  n_memos=Count("memos", distinct=True))


def projects_with_roles(user) -> list[tuple]:
    """(project with ``n_sources``, the user's role in it) for each project the user may open."""
    roles = dict(user.coding_memberships.values_list("project_id", "role"))
    return [(p, roles.get(p.pk)) for p in projects_for(user).annotate(n_sources=Count("sources", distinct=True))]


def decisions(project) -> dict:
    """{(source pk, code pk, start, end): Adjudication} for the project's decided units."""
    return {(a.source_id, a.code_id, a.start, a.end): a
            for a in Adjudication.objects.filter(project=project).select_related("decided_by")}


def own_codings(source, layer, start: int | None = None, end: int | None = None):
    """`layer`'s codings on `source` with their codes and memo counts, in text order; only
    those inside ``[start, end)`` when given (the turns of one page)."""
    rows = source.codings.filter(coder=layer).select_related("code").annotate(n_memos=Count("memos"))
    if start is not None and end is not None:
        rows = rows.filter(start__gte=start, end__lte=end)
    return rows.order_by("start", "end", "pk")

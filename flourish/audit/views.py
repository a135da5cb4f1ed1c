"""The organisation's audit log for its admins: read, filter, export as CSV."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from flourish.orgadmin.permissions import get_organisation_for_admin

from . import actions, selectors
from .forms import AuditFilterForm


def _filtered(request, organisation):
    form = AuditFilterForm(request.GET or None, verbs=selectors.verbs_for(organisation))
    return form, selectors.entries_for(organisation, **form.filters())


@login_required
def log(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    form, entries = _filtered(request, organisation)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/log.html", {
        "organisation": organisation, "filter_form": form, "form": form, "page": page,
        "query": query.urlencode(),
    }, status=400 if form.errors else 200)


@login_required
def export(request, org):
    organisation = get_organisation_for_admin(request.user, org)
    form, entries = _filtered(request, organisation)
    # The filters go in as details named for what they filtered ("verb" is record()'s own).
    actions.record(request, "audit-exported", organisation,
                   **{f"filtered_{k}": str(v) for k, v in form.filters().items()})
    response = HttpResponse(selectors.as_csv(entries), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="audit-{organisation.pk}-{stamp}.csv"'
    return response

"""A person's data-protection rights: download everything held about them, take back a
shared report; and the public privacy notice and accessibility statement."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from flourish.audit.actions import record

from . import actions, erasure, presenters
from .permissions import get_own_cycle, get_reader_of
from .subject_access import everything_about


@login_required
def your_data(request):
    return render(request, "rights/your_data.html", {"shared": presenters.shared_reports(request.user)})


@login_required
def download(request):
    data = json.dumps(everything_about(request.user), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False)
    record(request, "subject-access-downloaded", request.user)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="flourish-your-data-{timezone.localdate()}.json"'
    return response


@login_required
def sharing(request, pk):
    cycle = get_own_cycle(request.user, pk)
    return render(request, "rights/sharing.html", {"cycle": cycle, "readers": cycle.shared_with.all()})


@login_required
def unshare(request, pk, person):
    cycle = get_own_cycle(request.user, pk)
    reader = get_reader_of(cycle, person)
    if request.method != "POST":
        return render(request, "rights/unshare.html", {"cycle": cycle, "reader": reader})
    actions.unshare(request, cycle, reader)
    messages.success(request, f"{reader.display_name} can no longer read “{cycle.title}”. We emailed them.")
    return redirect("rights:sharing", pk=cycle.pk)


@login_required
def erase(request):
    problem = erasure.refusal(request.user)
    if request.method == "POST" and not problem:
        try:
            erasure.erase(request, request.user, request.POST.get("email", ""))
        except actions.NotAllowed as refused:
            problem = str(refused)
        else:
            logout(request)
            messages.success(request, "Your account and your data are deleted.")
            return redirect("home")
    return render(request, "rights/erase.html", {
        "goes": erasure.what_goes(request.user), "remains": erasure.what_remains(request.user),
        "problem": problem,
    }, status=400 if problem and request.method == "POST" else 200)


def privacy(request):
    return render(request, "rights/privacy.html", presenters.public_page_context(settings))


def accessibility(request):
    return render(request, "rights/accessibility.html", presenters.public_page_context(settings))

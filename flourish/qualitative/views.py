from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .permissions import can_create_projects, projects_for


@login_required
def index(request):
    return render(request, "qualitative/index.html", {
        "projects": projects_for(request.user), "can_create": can_create_projects(request.user),
    })

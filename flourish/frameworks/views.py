from django.http import Http404
from django.shortcuts import redirect, render

from . import diagram
from .actions import default_framework_slug
from .permissions import get_version_for_user


def default(request):
    return redirect("frameworks:overview", slug=default_framework_slug())


def overview(request, slug):
    version = get_version_for_user(request.user, slug)
    processes = version.processes
    return render(request, "frameworks/overview.html", {
        "version": version,
        "doc": version.document,
        "main": [p for p in processes if p["kind"] == "main"],
        "borderline": [p for p in processes if p["kind"] == "borderline"],
        "nodes": diagram.layout(processes),
        "diagram_size": (diagram.WIDTH, diagram.HEIGHT),
    })


def process(request, slug, process_id):
    version = get_version_for_user(request.user, slug)
    ids = [p["id"] for p in version.processes]
    if process_id not in ids:
        raise Http404("No such process.")
    index = ids.index(process_id)
    return render(request, "frameworks/process.html", {
        "version": version,
        "doc": version.document,
        "process": version.processes[index],
        "previous": version.processes[index - 1] if index > 0 else None,
        "next": version.processes[index + 1] if index + 1 < len(ids) else None,
        "scale": version.document["scale"],
    })


def about(request, slug=None):
    version = get_version_for_user(request.user, slug or default_framework_slug())
    return render(request, "frameworks/about.html", {"version": version, "doc": version.document})

from django.shortcuts import render

from flourish.frameworks.selectors import default_version

from . import presenters


def home(request):
    """Signed in: what is waiting for you. Otherwise: what Flourish is, and the model's
    eight processes by name."""
    if request.user.is_authenticated:
        return render(request, "home/dashboard.html", presenters.dashboard(request.user))
    version = default_version()
    processes = version.processes if version is not None else []
    return render(request, "home/welcome.html", {
        "main": [p for p in processes if p["kind"] == "main"],
        "borderline": [p for p in processes if p["kind"] == "borderline"],
    })

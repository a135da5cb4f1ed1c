from django.http import HttpResponse

from . import health


def healthz(request):
    """For load balancers: the process is up. Deliberately touches nothing else."""
    return HttpResponse("ok", content_type="text/plain")


def readyz(request):
    """For load balancers and deploys: this process can serve (database and queue answer).
    503 with the reasons otherwise; never cached."""
    ready, details = health.readiness()
    response = HttpResponse("\n".join(details) + "\n", content_type="text/plain", status=200 if ready else 503)
    response["Cache-Control"] = "no-store"
    return response

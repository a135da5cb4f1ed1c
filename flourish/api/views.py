from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .api import api
from .models import ApiToken


def docs(request):
    """A readable, accessible page generated from the OpenAPI document."""
    schema = api.get_openapi_schema()
    operations = [
        {"method": method.upper(), "path": path, **operation}
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]
    return render(request, "api/docs.html", {"schema": schema, "operations": operations})


@login_required
@require_POST
def create_token(request):
    name = request.POST.get("name", "").strip()[:100] or "API token"
    _, raw = ApiToken.issue(request.user, name)
    messages.success(request, f"Your new token “{name}” is {raw} — copy it now: it will not be shown again.")
    return redirect("account")


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    token.delete()
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("account")

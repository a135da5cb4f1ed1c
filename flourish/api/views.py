from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import actions
from .api import api
from .permissions import get_token_for_user


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
    token, raw = actions.issue_token(request.user, request.POST.get("name", ""))
    name = token.name
    messages.success(request, f"Your new token “{name}” is {raw} — copy it now: it will not be shown again.")
    return redirect("account")


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_token_for_user(request.user, pk)
    actions.revoke_token(token)
    messages.success(request, f"The token “{token.name}” no longer works.")
    return redirect("account")

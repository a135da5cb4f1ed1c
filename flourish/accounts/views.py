from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .permissions import memberships_of


@login_required
def account(request):
    memberships = memberships_of(request.user)
    tokens = request.user.api_tokens.order_by("-created")
    return render(
        request, "accounts/account.html", {"memberships": memberships, "tokens": tokens}
    )

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .models import Membership


@login_required
def account(request):
    memberships = Membership.objects.filter(user=request.user).select_related("organisation")
    tokens = request.user.api_tokens.order_by("-created")
    return render(
        request, "accounts/account.html", {"memberships": memberships, "tokens": tokens}
    )

"""The pulse a team member answers from their personal link: no account, often on a phone,
one page per section, saved on every page. A bad link learns nothing; a closed wave gets a
polite page and nothing is saved. Rate-limited with the 360° rater links' budget."""


from django.http import Http404
from django.shortcuts import redirect, render

from flourish.feedback.ratelimits import limit_rater_links, personal_link_page

from . import actions, presenters, selectors
from .forms import CollaborationForm, RoleRatingsForm, TeamItemsForm
from .permissions import get_invitation_for_token

SECTIONS = actions.SECTIONS
TITLES = {"team": "How the team works", "roles": "Working with each other profession",
          "map": "Who you work with"}


def respondent_page(view):
    @limit_rater_links
    def limited(request, token, **kwargs):
        invitation = get_invitation_for_token(token)
        wave = invitation.wave
        if not wave.is_open or wave.is_past_closing_date:
            return render(request, "pulse/respond/closed.html", {"wave": wave, "team": wave.team}, status=410)
        try:
            return view(request, token=token, invitation=invitation, **kwargs)
        except actions.NotAllowed as problem:
            return render(request, "pulse/respond/problem.html", {"message": str(problem), "token": token},
                          status=409)

    return personal_link_page(view, limited)


@respondent_page
def start(request, token, invitation):
    response = selectors.response_of(invitation)
    return render(request, "pulse/respond/start.html", {
        **presenters.respondent_context(invitation, token), "response": response,
        "submitted": response is not None and response.submitted_on is not None,
    })


def _form(section, context, response, data=None):
    doc = context["doc"]
    if section == "team":
        return TeamItemsForm(data, doc=doc, saved=response.answers if response else None)
    if section == "roles":
        return RoleRatingsForm(data, doc=doc, professions=context["others"],
                               saved=response.role_ratings if response else None)
    return CollaborationForm(data, doc=doc, professions=context["professions"], agencies=context["agencies"],
                             saved=response.collaboration if response else None)


@respondent_page
def section(request, token, invitation, name):
    if name not in SECTIONS:
        raise Http404("No such section.")
    context = presenters.respondent_context(invitation, token)
    if name == "roles" and not context["others"]:
        return redirect("pulse_respond:section", token, "map")
    response = selectors.response_of(invitation)
    form = _form(name, context, response, request.POST or None)
    if request.method == "POST" and form.is_valid():
        leaving = "save_and_return" in request.POST
        if leaving or form.require_all():
            actions.save_section(invitation, name, form.values())
            if leaving:
                return render(request, "pulse/respond/saved.html", context)
            following = SECTIONS.index(name) + 1
            if following < len(SECTIONS):
                return redirect("pulse_respond:section", token, SECTIONS[following])
            return redirect("pulse_respond:review", token)
    number = SECTIONS.index(name) + 1
    return render(request, f"pulse/respond/{name}.html", {
        **context, "form": form, "name": name, "title": TITLES[name], "number": number, "of": len(SECTIONS),
        "back": SECTIONS[number - 2] if number > 1 else None,
    }, status=400 if form.errors else 200)


@respondent_page
def review(request, token, invitation):
    context = presenters.respondent_context(invitation, token)
    problem = None
    if request.method == "POST":
        try:
            actions.submit(invitation)
        except actions.NotAllowed as refused:
            problem = str(refused)
        else:
            return redirect("pulse_respond:thanks", token)
    response = selectors.response_of(invitation)
    return render(request, "pulse/respond/review.html", {**context, "response": response, "problem": problem,
                                                         "titles": TITLES},
                  status=400 if problem else 200)


@respondent_page
def thanks(request, token, invitation):
    return render(request, "pulse/respond/thanks.html", presenters.respondent_context(invitation, token))


@respondent_page
def withdraw(request, token, invitation):
    if request.method == "POST":
        actions.withdraw_answers(invitation)
        return render(request, "pulse/respond/withdrawn.html", presenters.respondent_context(invitation, token))
    return render(request, "pulse/respond/withdraw.html", presenters.respondent_context(invitation, token))

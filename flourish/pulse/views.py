"""The leader's pages: their teams, a team's roster and waves, and a wave's results."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import actions, presenters
from .forms import MemberForm, TeamForm, WaveForm
from .permissions import (
    get_member_for_user,
    get_team_for_user,
    get_wave_for_user,
    organisations_to_start_in,
    teams_for,
)


@login_required
def index(request):
    organisations = organisations_to_start_in(request.user)
    return render(request, "pulse/index.html", {"teams": teams_for(request.user),
                                                "can_start": organisations.exists()})


@login_required
def create_team(request):
    organisations = organisations_to_start_in(request.user)
    form = TeamForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            team = actions.create_team(request.user, form.cleaned_data["organisation"], form.cleaned_data["name"])
        except actions.NotAllowed as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, "The team is set up. Now add the people on its roster.")
            return redirect("pulse:team", team.pk)
    return render(request, "pulse/create_team.html", {"form": form, "can_start": organisations.exists()},
                  status=400 if form.errors else 200)


@login_required
def team(request, pk):
    team = get_team_for_user(request.user, pk)
    member_form = MemberForm(request.POST if "add_member" in request.POST else None)
    wave_form = WaveForm(request.POST if "open_wave" in request.POST else None)
    if request.method == "POST" and "add_member" in request.POST and member_form.is_valid():
        try:
            actions.add_member(team, **member_form.cleaned_data)
        except actions.NotAllowed as problem:
            member_form.add_error(None, str(problem))
        else:
            messages.success(request, f"{member_form.cleaned_data['name']} is on the roster.")
            return redirect("pulse:team", team.pk)
    if request.method == "POST" and "open_wave" in request.POST and wave_form.is_valid():
        try:
            wave = actions.open_wave(team, wave_form.cleaned_data["label"], wave_form.cleaned_data["closes_on"])
        except actions.NotAllowed as problem:
            wave_form.add_error(None, str(problem))
        else:
            messages.success(request, f"“{wave.label}” is open: everyone on the roster has been sent their link.")
            return redirect("pulse:team", team.pk)
    failed = request.method == "POST" and (member_form.errors or wave_form.errors)
    return render(request, "pulse/team.html", {**presenters.team_page(team), "member_form": member_form,
                                               "wave_form": wave_form}, status=400 if failed else 200)


@login_required
@require_POST
def remove_member(request, pk, member_pk):
    member = get_member_for_user(request.user, pk, member_pk)
    try:
        actions.remove_member(member)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, f"{member.name} is off the roster from today.")
    return redirect("pulse:team", pk)


@login_required
@require_POST
def close_wave(request, pk, wave_pk):
    wave = get_wave_for_user(request.user, pk, wave_pk)
    try:
        wave = actions.close_wave(wave)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
        return redirect("pulse:team", pk)
    messages.success(request, f"“{wave.label}” is closed and its results are ready.")
    return redirect("pulse:results", pk, wave.pk)


@login_required
@require_POST
def remind(request, pk, wave_pk):
    wave = get_wave_for_user(request.user, pk, wave_pk)
    try:
        actions.remind(wave)
    except actions.NotAllowed as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, "Everyone who has not sent their answers yet will get a reminder.")
    return redirect("pulse:team", pk)


@login_required
def results(request, pk, wave_pk):
    wave = get_wave_for_user(request.user, pk, wave_pk)
    return render(request, "pulse/results.html", presenters.results_page(wave))

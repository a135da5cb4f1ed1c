"""Who may see or do what with a team's pulse. Each lookup raises Http404 for anyone not
allowed, so outsiders cannot tell whether a team exists.

- a team, its roster, its waves and its results: the team's leader only, while they still
  lead in the team's organisation (an organisation admin as such sees nothing of it: the
  results are the leader's, as a 360° report is);
- starting a team: a leader, in an organisation where they lead;
- answering: whoever holds a wave's personal link (no account).
"""

from django.http import Http404

from flourish.accounts.models import Role
from flourish.accounts.permissions import organisations_for
from flourish.core.lookups import get_or_404
from flourish.core.tokens import hash_token

from .models import InvitationLink, Team, Wave


def organisations_to_start_in(user):
    """Where the user may start a team: where they lead."""
    return organisations_for(user, Role.LEADER)


def teams_for(user):
    """The teams a person leads, in organisations where they still lead."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(leader=user, organisation__in=organisations_for(user, Role.LEADER)).select_related(
        "organisation")


def get_team_for_user(user, pk) -> Team:
    return get_or_404(teams_for(user), "team", pk=pk)


def get_wave_for_user(user, team_pk, wave_pk) -> Wave:
    team = get_team_for_user(user, team_pk)
    return get_or_404(team.waves.select_related("team__organisation", "team__leader"), "wave", pk=wave_pk)


def get_member_for_user(user, team_pk, member_pk):
    team = get_team_for_user(user, team_pk)
    return get_or_404(team.members.filter(left_on__isnull=True), "member", pk=member_pk)


def get_invitation_for_token(token: str):
    """The invitation a personal link belongs to (404 for an unknown link)."""
    link = InvitationLink.objects.select_related("invitation__wave__team__leader",
                                                 "invitation__wave__team__organisation").filter(
        token_hash=hash_token(token)).first()
    if link is None:
        raise Http404("This link is not valid.")
    return link.invitation

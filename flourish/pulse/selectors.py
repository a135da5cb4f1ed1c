"""Reads the pulse's pages, CLI and API share."""

from .models import Response, WaveStatus


def roster(team):
    return list(team.members.filter(left_on__isnull=True))


def waves(team):
    return list(team.waves.all())


def closed_waves(team):
    return list(team.waves.filter(status=WaveStatus.CLOSED).order_by("closed_on", "pk"))


def wave_groups(wave) -> tuple[list[str], list[str]]:
    """(professions, agencies) of everyone asked in the wave, sorted: what the form asks about."""
    rows = list(wave.invitations.values_list("profession", "agency"))
    return sorted({p for p, _ in rows}), sorted({a for _, a in rows})


def response_of(invitation):
    return Response.objects.filter(invitation=invitation).first()


def previous_closed(wave):
    """The team's closed wave before this one, or None."""
    earlier = [w for w in closed_waves(wave.team)
               if w.pk != wave.pk and (w.closed_on, w.pk) < (wave.closed_on, wave.pk)]
    return earlier[-1] if earlier else None


def pulse_links_for(user, organisation) -> list[dict]:
    """For a leader's 360° pages: their pulse teams in that organisation, each with its latest
    closed wave (or None), one query."""
    from .permissions import teams_for

    teams = teams_for(user).filter(organisation=organisation).prefetch_related("waves")
    out = []
    for team in teams:
        closed = [w for w in team.waves.all() if w.status == WaveStatus.CLOSED]
        out.append({"team": team, "latest": closed[-1] if closed else None})
    return out


def delivery_keys_of_leader(user) -> list[str]:
    """The mail queue's keys of every pulse email sent for the teams a person leads (they hold
    the members' addresses): erasure removes them with the person's own."""
    from .actions import invitation_key
    from .models import Invitation

    return [invitation_key(i) for i in Invitation.objects.filter(wave__team__leader=user).only("pk")]


def teams_led_count(user) -> int:
    from .models import Team

    return Team.objects.filter(leader=user).count()

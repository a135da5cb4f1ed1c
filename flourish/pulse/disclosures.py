"""What a team's pulse shows its leader, in the disclosure ledger (`flourish.disclosure`).

At a wave's close every figure of its results (`results.build`) is decided in turn, against
everything the leader was already shown — earlier waves of this team, their 360° reports, any
cohort figure — and the figures already released from this wave: a figure is released (and
recorded) only if, together with all of that, it reveals nothing about fewer than k people
that was not already revealed; otherwise it is withheld and the page says why. The same
pattern as a 360° report's release (`feedback/disclosures.py`), figure by figure, so one
figure that would leak does not hold back the whole page. Called only from
`actions.close_wave`, inside its transaction.
"""

from flourish.disclosure import actions as ledger_actions
from flourish.disclosure import keys
from flourish.disclosure import selectors as ledger
from flourish.lib.ledger import may_release_all

from . import results as wave_results


def audience_of(team) -> str:
    return keys.person(team.leader_id)


def release(wave, candidates, k: int) -> tuple[int, int]:
    """Release what the ledger allows, withhold the rest; (released, withheld)."""
    team = wave.team
    audience = audience_of(team)
    shown, known = ledger.shown_to(audience)
    shown = list(shown)
    released, withheld = [], 0
    for candidate in candidates:
        if may_release_all(shown, candidate.figures, k, known=known):
            shown.extend(candidate.figures)
            released.extend((f"wave:{wave.pk}:{candidate.key}:{i}", f) for i, f in enumerate(candidate.figures))
        else:
            wave_results.withhold(candidate)
            withheld += 1
    if released:
        ledger_actions.record_many(audience, keys.pulse_team_subject(team.pk), released,
                                   {"wave": wave.pk, "label": wave.label})
    return len(released), withheld

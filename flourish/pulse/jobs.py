"""The pulse's background work: closing waves whose closing date has passed (hourly, from
`flourish tick`), each through `actions.close_wave` (results decided through the ledger, then
answers severed). Idempotent: a closed wave is not closed again."""

from flourish.jobs.registry import periodic

from . import actions


@periodic("pulse.close_due", every="hour")
def close_due(context) -> dict:
    closed = actions.close_due_waves()
    return {"message": f"Closed {len(closed)} pulse wave(s)."}

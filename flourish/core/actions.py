"""What every app's `actions` module shares: the one refusal type, and the check that a
required piece of text was given."""


class NotAllowed(Exception):
    """A write cannot happen as asked; the message says why, in plain words, for the person.
    Each app's `actions` module re-exports it, so views catch `actions.NotAllowed`."""


def required(value: str, what: str, verb: str = "Enter") -> str:
    """`value` without surrounding spaces, or NotAllowed("Enter <what>.") when it is blank."""
    value = (value or "").strip()
    if not value:
        raise NotAllowed(f"{verb} {what}.")
    return value

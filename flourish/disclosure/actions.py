"""Writes to the disclosure ledger. Called from the releasing app's own action, inside its
transaction, so a figure is recorded exactly when it is shown."""

from django.db import transaction

from flourish.lib.ledger import Figure

from .models import Release


@transaction.atomic
def record(audience: str, subject: str, key: str, *, figure: Figure | None = None,
           rows_of=(), value=None) -> Release:
    if figure is None and not rows_of:
        raise ValueError("A release records a figure or the rows shown.")
    return Release.objects.create(
        audience=audience, subject=subject, key=key,
        equation=figure.to_json() if figure is not None else [],
        rows_of=sorted(set(rows_of)), value=value or {},
    )

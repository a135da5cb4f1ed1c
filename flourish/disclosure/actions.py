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


@transaction.atomic
def record_many(audience: str, subject: str, figures, value=None) -> int:
    """Record several figures shown together (e.g. a whole report): [(key, Figure), ...]."""
    rows = [Release(audience=audience, subject=subject, key=key, equation=figure.to_json(), value=value or {})
            for key, figure in figures]
    Release.objects.bulk_create(rows)
    return len(rows)


def releases_about(respondent: str, subjects) -> list[Release]:
    """The releases among `subjects` whose figure or rows include this respondent."""
    return [r for r in Release.objects.filter(subject__in=list(subjects)).order_by("pk")
            if respondent in r.rows_of or any(term[0] == respondent for term in r.equation)]


@transaction.atomic
def replace_respondent(respondent: str, replacement: str, subjects) -> int:
    """Erasure: the respondent's key in figures already shown becomes a meaningless token.
    The figures stay (others have seen them and the audits still need them); nothing in
    them points to the person any more. Returns how many releases changed."""
    changed = releases_about(respondent, subjects)
    for release in changed:
        release.equation = [[replacement if t[0] == respondent else t[0], *t[1:]] for t in release.equation]
        release.rows_of = sorted(replacement if k == respondent else k for k in release.rows_of)
        release.save(update_fields=["equation", "rows_of"])
    return len(changed)

"""What an audience has been shown, as the pure ledger reads it."""

from flourish.lib.ledger import Figure

from .models import Release


def releases_to(audience: str, subject: str | None = None):
    releases = Release.objects.filter(audience=audience)
    return releases.filter(subject=subject) if subject is not None else releases


def shown_to(audience: str, subject: str | None = None) -> tuple[list[Figure], set[str]]:
    """(every figure released to the audience, respondents whose rows they were shown)."""
    figures: list[Figure] = []
    known: set[str] = set()
    for release in releases_to(audience, subject):
        if release.equation:
            figures.append(Figure.from_json(release.equation))
        known.update(release.rows_of)
    return figures, known


def latest_by_key(audience: str, subject: str) -> dict[str, Release]:
    latest: dict[str, Release] = {}
    for release in releases_to(audience, subject).order_by("key", "-released_at", "-pk"):
        latest.setdefault(release.key, release)
    return latest


def figures_with_prefix(audience: str, subject: str, prefix: str) -> list[Release]:
    """The releases to `audience` about `subject` whose key starts with `prefix`, in order."""
    return list(releases_to(audience, subject).filter(key__startswith=prefix).order_by("pk"))


def was_shown(audience: str, subject: str, prefix: str) -> bool:
    return releases_to(audience, subject).filter(key__startswith=prefix).exists()

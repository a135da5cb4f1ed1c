"""What a leader may see while a cycle runs: how many people answered, by group — never
who. Groups with fewer invitees than the minimum are pooled, so that "1 of 1 answered"
can never point at a person."""

from collections import Counter

from .models import Response

OTHER = "Other raters"


def response_counts(cycle) -> dict:
    raters = list(cycle.raters.filter(revoked_at__isnull=True, invited_at__isnull=False))
    answered_ids = set(
        Response.objects.filter(rater__in=raters, submitted_at__isnull=False).values_list("rater_id", flat=True)
    )
    invited = Counter(r.profession for r in raters)
    answered = Counter(r.profession for r in raters if r.pk in answered_ids)
    k = cycle.min_group_size
    shown = sorted((g for g in invited if invited[g] >= k), key=lambda g: (invited[g], g))
    pooled = [g for g in invited if invited[g] < k]
    # A pool of 1..k-1 people could point at them: fold the smallest shown group in.
    while 0 < sum(invited[g] for g in pooled) < k and shown:
        pooled.append(shown.pop(0))
    order = {g: i for i, g in enumerate(cycle.professional_groups)}
    rows = [
        {"group": g, "invited": invited[g], "answered": answered[g]}
        for g in sorted(shown, key=lambda g: order.get(g, len(order)))
    ]
    if pooled and shown:
        rows.append({
            "group": OTHER,
            "invited": sum(invited[g] for g in pooled),
            "answered": sum(answered[g] for g in pooled),
        })
    return {"rows": rows, "invited": len(raters), "answered": len(answered_ids)}

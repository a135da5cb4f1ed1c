"""Run in a subprocess against a live database (DATABASE_URL): make a cycle with raters and
their links, or report what the database holds. Prints JSON.

    python -m flourish.ops.tests.seed cycle --raters 20 --answered all-but-last
    python -m flourish.ops.tests.seed report --cycle 3

Tests of the real server stack (gunicorn in a subprocess) cannot share pytest-django's
test database, so they build their data through the same actions, in a process of its own.
"""

import argparse
import json
import os
import sys
from pathlib import Path


def _setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flourish.settings")
    import django

    django.setup()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # keep stdout JSON


GROUPS = [("Health", "peer"), ("Social care", "partner agency"), ("Education and early years", "partner agency"),
          ("Family support", "team member")]


def make_cycle(raters: int, answered: str) -> dict:
    from datetime import timedelta

    from django.utils import timezone

    from flourish.feedback import actions
    from flourish.feedback.models import Cycle, RaterLink
    from flourish.frameworks.actions import default_framework_slug
    from flourish.frameworks.models import Framework
    from flourish.testing import personas

    organisation = personas.organisation()
    # These tests are about serving, not approval: the leader's organisation lets leaders
    # send invitations themselves (the approval rule has its own tests).
    if organisation.rater_lists_need_approval:
        organisation.rater_lists_need_approval = False
        organisation.save(update_fields=["rater_lists_need_approval"])
    leader = personas.leader(organisation)
    version = Framework.objects.get(slug=default_framework_slug()).latest()
    number = Cycle.objects.count() + 1
    cycle = actions.create_cycle(leader, organisation, version, f"Live feedback {number}",
                                 timezone.localdate() + timedelta(days=14))
    for index in range(raters):
        profession, relationship = GROUPS[index % len(GROUPS)]
        actions.nominate(cycle, name=f"Rater {number}-{index}", email=f"rater{number}-{index}@example.org",
                         profession=profession, relationship=relationship)
    actions.send_invitations(cycle)
    processes = version.processes
    answer_through = {"none": 0, "all-but-last": len(processes) - 1, "all": len(processes),
                      "submitted": len(processes)}[answered]
    tokens = []
    for rater in cycle.raters.order_by("pk"):
        for process in processes[:answer_through]:
            actions.save_page(rater, process["id"], {item["id"]: 4 for item in process["items"]}, None)
        if answered == "submitted":
            actions.submit(rater)
        tokens.append(RaterLink.issue(rater))
    return {
        "cycle": cycle.pk, "tokens": tokens,
        "processes": [{"id": p["id"], "items": [item["id"] for item in p["items"]]} for p in processes],
    }


def report(cycle_pk: int) -> dict:
    from flourish.feedback.models import Rater, Response

    raters = Rater.objects.filter(cycle_id=cycle_pk)
    responses = Response.objects.filter(cycle_id=cycle_pk)
    return {
        "raters": raters.count(),
        "responses": responses.count(),
        "submitted": responses.filter(submitted_at__isnull=False).count(),
        "answers": sorted(len(r.answers) for r in responses),
        "per_rater": [Response.objects.filter(rater=r).count() for r in raters],
        # Everything a response holds, to compare a database before and after (a restore).
        "contents": sorted([r.rater.email, r.answers, r.comments, r.submitted_at and r.submitted_at.isoformat()]
                           for r in responses.select_related("rater")),
    }


def submitted_of(tokens_file: str) -> dict:
    """How many of these rater links have a submitted response (the load benchmark's check
    that every journey the server confirmed was stored)."""
    from flourish.core.tokens import hash_token
    from flourish.feedback.models import RaterLink, Response

    tokens = json.loads(Path(tokens_file).read_text(encoding="utf-8"))
    hashes = [hash_token(token) for token in tokens]
    raters = RaterLink.objects.filter(token_hash__in=hashes).values_list("rater_id", flat=True)
    return {"links": len(tokens), "submitted": Response.objects.filter(rater_id__in=raters,
                                                                        submitted_at__isnull=False).count()}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="what", required=True)
    make = sub.add_parser("cycle")
    make.add_argument("--raters", type=int, default=20)
    make.add_argument("--answered", choices=["none", "all-but-last", "all", "submitted"], default="all-but-last")
    show = sub.add_parser("report")
    show.add_argument("--cycle", type=int, required=True)
    check = sub.add_parser("submitted-of")
    check.add_argument("tokens_file")
    args = parser.parse_args(argv)
    _setup()
    if args.what == "cycle":
        result = make_cycle(args.raters, args.answered)
    elif args.what == "report":
        result = report(args.cycle)
    else:
        result = submitted_of(args.tokens_file)
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()

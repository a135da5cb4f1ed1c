"""Benchmark of the 360° report and the rater submit (issue 3).

    .venv/bin/python bench/bench_report.py [--runs 30] [--out bench/RESULTS-report.md]

Builds a cycle with 60 raters in a throw-away SQLite database, then measures server time
in-process with Django's test client (the whole request/response stack, no network):
the report page, the JSON report and a rater's submit, each as the median of several
requests and as a ratio to a trivial page (/healthz) served by the same process in the
same run. Targets: report page <= 100 ms and <= 5x the trivial page.
"""

import argparse
import datetime
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TMP = tempfile.mkdtemp(prefix="flourish-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ["FLOURISH_VAR_DIR"] = TMP
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flourish.settings")
os.environ["DEBUG"] = "true"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings, setup_test_environment  # noqa: E402

RATERS = 60
GROUPS = ["Health", "Social care", "Education and early years", "Family support",
          "Voluntary and community", "Other"]
RELATIONSHIPS = ["team member", "peer", "partner agency", "team member"]


def median_ms(fn, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--out", default=str(ROOT / "bench" / "RESULTS-report.md"))
    args = parser.parse_args()

    setup_test_environment()
    call_command("migrate", verbosity=0)
    import random

    from flourish.feedback import actions
    from flourish.feedback.models import RaterLink
    from flourish.frameworks.models import Framework
    from flourish.testing import personas

    rng = random.Random(1)
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                           PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        leader = personas.leader()
        version = Framework.objects.get(slug="vaggers-anderson").latest()
        organisation = leader.memberships.first().organisation
        organisation.rater_lists_need_approval = False  # the bench measures reports, not approval
        organisation.save(update_fields=["rater_lists_need_approval"])
        cycle = actions.create_cycle(leader, organisation, version,
                                     "Bench", datetime.date.today() + datetime.timedelta(days=14))
        raters = [
            actions.nominate(cycle, name=f"Rater {i}", email=f"r{i}@example.org",
                             profession=GROUPS[i % len(GROUPS)], relationship=RELATIONSHIPS[i % 4])
            for i in range(RATERS)
        ]
        actions.send_invitations(cycle)
        client = Client()
        submit_times = []
        from django.core.cache import cache

        for i, rater in enumerate(raters):
            # All raters come from one address here; the per-address rate limit stays on
            # (its cost is part of the measurement) but starts afresh for each rater.
            cache.clear()
            token = RaterLink.issue(rater)
            for step, process in enumerate(version.processes, start=1):
                data = {f"item-{item['id']}": str(rng.randint(1, 5)) for item in process["items"]}
                data.update({"comment": "Helpful" if i % 2 else "", "continue": ""})
                client.post(f"/r/{token}/process/{step}/", data)
            start = time.perf_counter()
            response = client.post(f"/r/{token}/review/", {})
            submit_times.append((time.perf_counter() - start) * 1000)
            assert response.status_code in (200, 302), response.status_code
        start = time.perf_counter()
        actions.close(cycle)
        closing = (time.perf_counter() - start) * 1000
        assert cycle.__class__.objects.get(pk=cycle.pk).is_released

        client.force_login(leader)
        healthz = median_ms(lambda: client.get("/healthz"), args.runs)
        # The trivial page: the home page, with the site layout and no data.
        trivial = median_ms(lambda: client.get("/"), args.runs)
        client.get(f"/feedback/{cycle.pk}/report/")  # the first view renders the fixed body once
        first_view = cycle.__class__.objects.get(pk=cycle.pk)
        from django.core.cache import cache as body_cache

        body_cache.clear()
        start = time.perf_counter()
        client.get(f"/feedback/{first_view.pk}/report/")
        uncached = (time.perf_counter() - start) * 1000
        page = median_ms(lambda: client.get(f"/feedback/{cycle.pk}/report/"), args.runs)
        as_json = median_ms(lambda: client.get(f"/feedback/{cycle.pk}/report.json"), args.runs)
        submit = statistics.median(submit_times)

    rows = [("Health check (/healthz, no template)", healthz), ("Trivial page (home page, layout only)", trivial),
            ("Report page, first view (body rendered and cached)", uncached), ("Report page (60 raters)", page),
            ("JSON report (60 raters)", as_json), ("Rater submit", submit),
            ("Closing the cycle: the report built once, with the disclosure audit (one run)", closing)]
    with open("/proc/cpuinfo") as info:
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "?")
    lines = [
        "## 360° report and rater submit",
        "",
        f"Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  ",
        f"Machine: {platform.platform()}, {cpu} ({os.cpu_count()} CPUs), Python {platform.python_version()}, SQLite  ",
        f"Median server time in-process (Django test client), {args.runs} requests each; "
        f"submit over {RATERS} raters.  ",
        f"Load average at the end: {os.getloadavg()[0]:.1f}",
        "",
        "| request | median (ms) | ratio to trivial page |",
        "|---|---:|---:|",
        *(f"| {name} | {ms:.1f} | {ms / trivial:.1f}x |" for name, ms in rows),
        "",
        f"Target: report page <= 100 ms and <= 5x the trivial page: "
        f"{'met' if page <= 100 and page / trivial <= 5 else 'NOT met'} ({page:.1f} ms, {page / trivial:.1f}x).",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

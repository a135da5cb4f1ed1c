"""Benchmark of the disclosure ledger's joint audit (pure: flourish.lib.ledger).

    .venv/bin/python bench/bench_ledger.py [--runs 5] [--out bench/RESULTS-ledger.md]

1. A report of 60 raters (the cycles of bench_disclosure.py): the report's equations, then
   the joint audit a research export runs with the report counted as known and 3 of 4
   raters' rows known. Baseline: the same report's raw means, unaudited, in the same run.
2. A cohort of 40 leaders after 20 releases: one release of 8 processes x 2 sources and
   8 plan counts (24 candidate figures), each audited against every earlier release to the
   facilitator. Baseline: the same 24 figures computed without any audit.

CPU time (time.process_time), median of the runs. The database reads around a release
are not included. Not a test: timing assertions do not belong in the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # bench_disclosure, timing
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_disclosure import baseline, cycle  # noqa: E402
from timing import cpu_ms  # noqa: E402

from flourish.lib.ledger import Figure, exposed, may_release, sum_of  # noqa: E402
from flourish.lib.report import Rules, build_report, report_equations  # noqa: E402


def report_audit(processes, people, rules):
    others = [r for r in people if r.role == "other"]
    keys = [f"R{j}" for j in range(len(others))]
    equations = report_equations(processes, people, keys, rules)
    return exposed(equations, rules.k, known={k for j, k in enumerate(keys) if j % 4}, first_only=True)


QUANTITIES = [f"{source}:p{i}" for source in ("360", "self") for i in range(8)] + [f"plans:p{i}" for i in range(8)]


def cohort_history(seed: int, leaders: int = 40, releases: int = 20):
    """Figures already released to the facilitator, and the next release's candidates."""
    rng = random.Random(seed)
    version = {x: 1 for x in range(leaders)}
    history: list[Figure] = []
    rounds = []
    for _ in range(releases + 1):
        for x in rng.sample(range(leaders), 3):  # a few leaders' contributions change
            version[x] += 1
        sharing = rng.sample(range(leaders), rng.randint(leaders // 2, leaders))
        rounds.append([sum_of({f"leader:{x}": f"{q}@v{version[x]}" for x in sharing}) for q in QUANTITIES])
    for candidates in rounds[:-1]:
        for figure in candidates:
            if may_release(history, figure, 3):
                history.append(figure)
    return history, rounds[-1], {x: rng.random() * 4 + 1 for x in range(leaders)}


def release(history, candidates):
    shown = list(history)
    for figure in candidates:
        if may_release(shown, figure, 3):
            shown.append(figure)
    return shown


def unaudited(candidates, scores):
    return [statistics.fmean(scores[int(r.partition(":")[2])] for r, _, _ in f.terms) for f in candidates]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--out")
    args = parser.parse_args()
    rules = Rules(k=3)
    report_rows = []
    for seed in range(args.seeds):
        processes, people = cycle(seed)
        build = cpu_ms(lambda p=processes, q=people: build_report(p, q, rules, salt="bench"), args.runs)
        audit = cpu_ms(lambda p=processes, q=people: report_audit(p, q, rules), args.runs)
        base = cpu_ms(lambda p=processes, q=people: baseline(p, q), args.runs)
        report_rows.append((build, audit, base))
        print(f"report seed {seed}: build {build:.0f} ms, ledger audit {audit:.0f} ms, unaudited {base:.2f} ms")
    cohort_rows = []
    for seed in range(args.seeds):
        history, candidates, scores = cohort_history(seed)
        audited = cpu_ms(lambda h=history, c=candidates: release(h, c), args.runs)
        base = cpu_ms(lambda c=candidates, s=scores: unaudited(c, s), args.runs)
        cohort_rows.append((audited, base, len(history)))
        print(f"cohort seed {seed}: release {audited:.0f} ms CPU against {len(history)} earlier figures, "
              f"unaudited {base:.2f} ms")
    if args.out:
        med = statistics.median
        lines = [
            "## The disclosure ledger's joint audit (pure)",
            "",
            f"Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  ",
            f"Machine: {platform.platform()} ({os.cpu_count()} CPUs), Python {platform.python_version()}  ",
            f"CPU time, median of {args.runs} runs over {args.seeds} seeds; baselines are the same figures "
            "computed with no audit, in the same run. Database reads are not included.",
            "",
            "| release | audited (ms CPU) | unaudited (ms CPU) | ratio |",
            "|---|---:|---:|---:|",
            f"| report of 60 raters: build_report (its own audit, values and n's) | "
            f"{med(r[0] for r in report_rows):.0f} | {med(r[2] for r in report_rows):.2f} | "
            f"{med(r[0] / r[2] for r in report_rows):.0f}x |",
            f"| report of 60 raters: ledger audit of report + export rows | "
            f"{med(r[1] for r in report_rows):.0f} | {med(r[2] for r in report_rows):.2f} | "
            f"{med(r[1] / r[2] for r in report_rows):.0f}x |",
            f"| cohort of 40 leaders, 21st release (24 figures vs ~{med(r[2] for r in cohort_rows):.0f} earlier) | "
            f"{med(r[0] for r in cohort_rows):.0f} | {med(r[1] for r in cohort_rows):.2f} | "
            f"{med(r[0] / r[1] for r in cohort_rows):.0f}x |",
            "",
            "Target: releasing stays under 1 s of CPU.",
            "",
        ]
        Path(args.out).write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()

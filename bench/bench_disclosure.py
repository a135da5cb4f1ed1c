"""Benchmark of the pure report builder with the joint (process + items) disclosure audit.

    .venv/bin/python bench/bench_disclosure.py [--runs 7] [--seeds 5]

A cycle of 60 raters, 8 processes of 4-5 items, k = 3, about 7 % "not able to observe"
(and 5 % / 10 % variants), six professions and four relationships. Prints the median
CPU time of `build_report` (time.process_time) and its ratio to a trivial baseline
measured in the same run: the same report's raw means computed with no disclosure rules
at all. Not a test: timing assertions do not belong in the test suite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import cpu_ms  # noqa: E402

from flourish.lib.report import Process, Respondent, Rules, build_report  # noqa: E402
from flourish.lib.scoring import respondent_process_score  # noqa: E402

PROFESSIONS = ["health visitor", "social worker", "teacher", "family support worker", "midwife", "nurse"]
RELATIONSHIPS = ["peer", "team member", "partner agency", "line manager"]


def cycle(seed: int, raters: int = 60, not_observed: float = 0.07):
    rng = random.Random(seed)
    processes = [
        Process(f"p{i}", f"Process {i}", "main" if i < 4 else "borderline",
                tuple(f"p{i}i{j}" for j in range(4 + i % 2)))
        for i in range(8)
    ]
    items = [i for p in processes for i in p.item_ids]
    people = [Respondent("self", "manager", "self", {i: rng.randint(1, 5) for i in items})]
    for _ in range(raters):
        people.append(Respondent(
            "other",
            rng.choice(PROFESSIONS),
            rng.choice(RELATIONSHIPS),
            {i: None if rng.random() < not_observed else rng.randint(1, 5) for i in items},
            {p.id: "a comment" for p in processes if rng.random() < 0.3},
        ))
    return processes, people


def baseline(processes, people):
    """Trivial work on the same data: every process and item mean, no rules."""
    others = [r for r in people if r.role == "other"]
    out = []
    for p in processes:
        scores = [respondent_process_score([r.answers.get(i) for i in p.item_ids]) for r in others]
        out.append(statistics.fmean(s for s in scores if s is not None))
        for i in p.item_ids:
            out.append(statistics.fmean(r.answers[i] for r in others if r.answers.get(i) is not None))
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--out", help="also write a Markdown summary to this file")
    args = parser.parse_args()
    rules = Rules(k=3)
    rows = []
    for rate in (0.05, 0.07, 0.10):
        for seed in range(args.seeds):
            processes, people = cycle(seed, not_observed=rate)
            built = cpu_ms(lambda p=processes, q=people: build_report(p, q, rules, salt="bench"), args.runs)
            base = cpu_ms(lambda p=processes, q=people: baseline(p, q), args.runs)
            rows.append((rate, seed, built, base))
            print(f"not observed {rate:4.0%}  seed {seed}:  build_report {built:6.1f} ms CPU"
                  f"   baseline {base:5.2f} ms   ratio {built / base:6.1f}x")
    worst = max(r[2] for r in rows)
    median = statistics.median(r[2] for r in rows)
    ratio = statistics.median(r[2] / r[3] for r in rows)
    print(f"median build_report {median:.1f} ms, worst {worst:.1f} ms "
          f"(target well under 100 ms); median ratio to baseline {ratio:.1f}x")
    if args.out:
        import datetime
        import os
        import platform

        lines = [
            "## Building a 360° report with the disclosure audit (pure)",
            "",
            f"Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC  ",
            f"Machine: {platform.platform()} ({os.cpu_count()} CPUs), Python {platform.python_version()}  ",
            "60 raters, 8 processes of 4–5 items, k = 3, 5/7/10% “not able to observe”, "
            f"{args.seeds} seeds each; CPU time, median of {args.runs} runs. Baseline: the same means "
            "without any disclosure rule, in the same run.",
            "",
            "| not observed | median build (ms CPU) | worst (ms CPU) | median ratio to baseline |",
            "|---|---:|---:|---:|",
        ]
        for rate in sorted({r[0] for r in rows}):
            mine = [r for r in rows if r[0] == rate]
            lines.append(f"| {rate:.0%} | {statistics.median(r[2] for r in mine):.0f} | "
                         f"{max(r[2] for r in mine):.0f} | {statistics.median(r[2] / r[3] for r in mine):.0f}x |")
        lines += ["", "The report is built once, when a cycle closes, and stored; pages read the stored "
                  "result. About a second per close is slow but paid once; the goal of well under "
                  "100 ms is NOT met (ideas: a pre-pass that withholds item-level groups with partial answerers "
                  "before the audit; caching per-item echelon blocks; withholding several figures per pass).", ""]
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write("\n".join(lines))


if __name__ == "__main__":
    main()

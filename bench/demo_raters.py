"""Writes flourish/stats/tests/data/demo_raters.csv: the rater answers of `flourish demo`'s
research data, made by the demo's own simulator (flourish.research.demo) with its seeds, without
a database: consented rater responses about the 12 simulated leaders, with the leader, the
rater's profession and the 32 items (empty = not able to observe).

    .venv/bin/python bench/demo_raters.py
"""
from __future__ import annotations

import csv
import os
import sys
import types
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flourish.settings")


def main() -> None:
    import django

    django.setup()
    from flourish.research import demo

    doc = yaml.safe_load((ROOT / "flourish/frameworks/data/vaggers-anderson.yaml").read_text(encoding="utf-8"))
    version = types.SimpleNamespace(processes=doc["processes"])
    items = [item["id"] for process in doc["processes"] for item in process["items"]]
    rows = []
    for n in range(1, demo.LEADERS + 1):  # the same random draws, in the same order, as demo.create()
        rng = np.random.default_rng(demo.SEED + n)
        leader_effect = 0.4 * rng.standard_normal()
        demo.simulate_answers(version, rng, leader_effect + 0.3)  # the leader's self-assessment
        raters = [(demo._choose(rng, demo.PROFESSIONS), demo._choose(rng, demo.RELATIONSHIPS))
                  for _ in range(demo.RATERS_PER_CYCLE)]
        for profession, _relationship in raters:
            answers = demo.simulate_answers(version, rng, leader_effect)
            if rng.random() < 0.9:  # the rater's research consent
                rows.append([f"L{n:02d}", profession] + ["" if answers[i] is None else answers[i] for i in items])
    out = ROOT / "flourish/stats/tests/data/demo_raters.csv"
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["leader", "profession", *items])
        writer.writerows(rows)
    print(f"wrote {out} ({len(rows)} rows)")


if __name__ == "__main__":
    main()

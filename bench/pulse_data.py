"""Writes the simulated pulse data sets that bench/pulse_reference.R fits in R (issue 15).

Re-run from the repository root (then the R script):
    .venv/bin/python bench/pulse_data.py && Rscript bench/pulse_reference.R
Writes:
  flourish/pulse/core/tests/data/simulated_pulse.csv  80 teams × 12 practitioners × 2 waves, seed 1515,
      with the development plan, the common-method guard's columns (also_rater, lag_days), the 14 item
      answers and the pulse score (flourish.pulse.core.simulate.simulate)
  flourish/pulse/core/tests/data/simulated_maps.csv   20 teams' collaboration maps (collaboration_maps)
The tests check that these files still equal what the simulator produces.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flourish.pulse.core.simulate import AGENCIES, ITEMS, PROFESSIONS, collaboration_maps, simulate  # noqa: E402

DATA = ROOT / "flourish" / "pulse" / "core" / "tests" / "data"


def pulse_rows() -> tuple[list[str], list[list[object]]]:
    header = ["organisation", "team", "wave", "leader_main", "leader_borderline", "score", "plan", "also_rater",
              "lag_days", *[f"i{n + 1}" for n in range(ITEMS)]]
    return header, [[r.organisation, r.team, r.wave, r.leader_main, r.leader_borderline, r.score, int(r.plan),
                     int(bool(r.also_rater)), r.lag_days, *r.answers] for r in simulate()]


def map_rows() -> tuple[list[str], list[list[object]]]:
    header = ["team", "respondent", "profession", "agency", *[f"p:{p}" for p in PROFESSIONS],
              *[f"a:{a}" for a in AGENCIES]]
    return header, [[m.team, m.respondent, m.profession, m.agency, *m.with_professions, *m.with_agencies]
                    for m in collaboration_maps()]


def write(name: str, header: list[str], rows: list[list[object]]) -> None:
    with open(DATA / name, "w", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


if __name__ == "__main__":
    write("simulated_pulse.csv", *pulse_rows())
    write("simulated_maps.csv", *map_rows())

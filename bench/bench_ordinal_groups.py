"""Benchmark of multi-group WLSMV and lavaan's ordinal invariance sequence (issue 14, item 4).

    .venv/bin/python bench/bench_ordinal_groups.py [--runs 1] [--no-lavaan] [--out bench/RESULTS-ordinal-groups.md]

Two professions of 5,000 raters each, two factors x 4 items with 3, 4 and 5 categories mixed (the
design of bench/ordinal_groups_reference.R, simulated here with a fixed numpy seed; item y3 runs
0.4 higher in the second group).  Timed in-process: `invariance(..., estimator="wlsmv")` (three
WLSMV fits, the Satorra 2000 difference tests and the score tests), against a baseline from the
same run (numpy covariance + Cholesky of the same data) and, when Rscript with lavaan is there,
lavaan's three `cfa(ordered = TRUE, group = ...)` calls with `lavTestLRT()` and `lavTestScore()`
on the same data already in memory (benchmark only; lavaan is never a dependency of Flourish).
"""
from __future__ import annotations

import argparse
import datetime
import os
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_cfa import baseline, machine, timeit  # noqa: E402

from flourish.stats.cfa import invariance  # noqa: E402

MODEL = "f1 =~ y1 + y2 + y3 + y4\nf2 =~ y5 + y6 + y7 + y8"
LOADINGS = [.8, .7, .75, .65, .7, .8, .6, .75]
CUTS = [[-.5, .6], [-1, 0, 1], [-1.2, -.3, .4, 1.2], [-.2, .8], [-1, 0, 1], [-1.2, -.3, .4, 1.2], [-.6, .5],
        [-.8, .2, 1.1]]
R_SCRIPT = """suppressPackageStartupMessages(library(lavaan))
d <- read.csv(commandArgs(TRUE)[1])
model <- "f1 =~ y1 + y2 + y3 + y4\\n f2 =~ y5 + y6 + y7 + y8"
t0 <- proc.time()[["elapsed"]]
f0 <- cfa(model, data = d, ordered = TRUE, group = "profession")
f1 <- cfa(model, data = d, ordered = TRUE, group = "profession", group.equal = c("thresholds", "loadings"))
f2 <- cfa(model, data = d, ordered = TRUE, group = "profession",
          group.equal = c("thresholds", "loadings", "intercepts"))
lrt <- lavTestLRT(f0, f1)
sc <- suppressWarnings(lavTestScore(f1))
cat(proc.time()[["elapsed"]] - t0, fitMeasures(f1, "chisq.scaled"), lrt[2, "Chisq diff"], "\\n")
"""


def simulate(n_per_group: int, seed: int) -> dict[str, list[str]]:
    rng = np.random.default_rng(seed)
    rows, groups = [], []
    for name, shift in (("Health", 0.0), ("Social care", 0.4)):
        eta = rng.multivariate_normal([0, 0], [[1, .4], [.4, 1]], size=n_per_group)
        lam = np.array(LOADINGS)
        ystar = lam * eta[:, [0, 0, 0, 0, 1, 1, 1, 1]] + rng.normal(0, np.sqrt(1 - lam ** 2), (n_per_group, 8))
        ystar[:, 2] += shift
        rows.append(np.column_stack([np.searchsorted(CUTS[i], ystar[:, i]) + 1 for i in range(8)]))
        groups += [name] * n_per_group
    Y = np.vstack(rows)
    data = {f"y{i + 1}": [str(int(v)) for v in Y[:, i]] for i in range(8)}
    data["profession"] = groups
    return data


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-lavaan", action="store_true")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                  "RESULTS-ordinal-groups.md"))
    args = ap.parse_args()
    n = 5_000
    data = simulate(n, seed=1415)
    invariance(simulate(300, seed=1), MODEL, group="profession", estimator="wlsmv")  # imports, warm caches
    t, res = timeit(lambda: invariance(data, MODEL, group="profession", estimator="wlsmv"), args.runs)
    assert res["converged"], "ordinal invariance benchmark did not converge"
    step = res["table"][1]
    Y = np.column_stack([np.array(data[f"y{i + 1}"], dtype=float) for i in range(8)])
    base = baseline(Y, args.runs)
    lav = None
    if not args.no_lavaan and shutil.which("Rscript"):
        with tempfile.TemporaryDirectory() as tmp:
            csv = os.path.join(tmp, "d.csv")
            with open(csv, "w") as fh:
                fh.write(",".join(data) + "\n")
                for i in range(2 * n):
                    fh.write(",".join(f'"{data[k][i]}"' if k == "profession" else data[k][i] for k in data) + "\n")
            rfile = os.path.join(tmp, "w.R")
            with open(rfile, "w") as fh:
                fh.write(R_SCRIPT)
            t0 = time.perf_counter()
            out = subprocess.run(["Rscript", rfile, csv], check=True, capture_output=True, text=True).stdout.split()
            lav = {"seconds": float(out[0]), "chisq_scaled": float(out[1]), "delta_chisq": float(out[2]),
                   "whole": time.perf_counter() - t0}
    print(f"ordinal invariance 2 x {n:,}: {t:.2f} s (baseline {base * 1000:.2f} ms)"
          + (f", lavaan {lav['seconds']:.2f} s" if lav else ""), file=sys.stderr)
    m = machine()
    lines = ["## Multi-group WLSMV: ordinal invariance (issue 14)", "",
             f"Date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}  ",
             f"Machine: {m['platform']}, {m['cpu']} ({m['cores']} logical CPUs)  ",
             f"Python {m['python']}, numpy {m['numpy']}, BLAS: {m['blas']}  ",
             f"Load average at the end of the run: {os.getloadavg()[0]:.1f} (1 min) on {m['cores']} CPUs.  ",
             f"Two groups of {n:,} raters, 2 factors x 4 items with 3, 4 and 5 categories mixed (the design of "
             "`bench/ordinal_groups_reference.R`). Flourish: `invariance(..., estimator=\"wlsmv\")` in-process "
             "(configural, thresholds and loadings, intercepts; Satorra 2000 difference tests; score tests), "
             f"median of {args.runs} run(s). Baseline: numpy covariance + Cholesky of the same data, same run. "
             "lavaan 0.6.14: the three `cfa(ordered = TRUE, group = \"profession\", group.equal = ...)` calls, "
             "`lavTestLRT()` and `lavTestScore()`, timed inside R on the data already read.", ""]
    head = "| Flourish (s) | Baseline (ms) | Flourish / baseline | chisq.scaled (thr.+load.) | Satorra 2000 dChisq |"
    row = (f"| {t:.2f} | {base * 1000:.2f} | {t / base:.0f}x | {step['chisq_scaled']:.3f} | "
           f"{step['delta_chisq']:.3f} |")
    if lav:
        head += " lavaan (s) | Flourish / lavaan | lavaan chisq.scaled | lavaan dChisq |"
        row += (f" {lav['seconds']:.2f} | {t / lav['seconds']:.2f} | {lav['chisq_scaled']:.3f} | "
                f"{lav['delta_chisq']:.3f} |")
    lines += [head, "|" + "---:|" * (head.count("|") - 1), row]
    text = "\n".join(lines) + "\n"
    print(text)
    with open(args.out, "w") as fh:
        fh.write(text)


if __name__ == "__main__":
    main()

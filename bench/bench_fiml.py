"""Benchmark of full-information ML (issue 14, item 2).

    .venv/bin/python bench/bench_fiml.py [--runs 1] [--no-lavaan] [--out bench/RESULTS-fiml.md]

The 8 x 5 model of bench_cfa.py at N = 10,000 with "not able to observe" as 360-degree raters
give it (each rater skips each process, all five of its items, with probability 0.10): the
in-process `fit_cfa(..., missing="ml")` call, and the whole `flourish cfa --missing ml` command
against the whole `Rscript` run of lavaan's `cfa(missing = "ml")` on the same CSV file, in the
same run (benchmark only; lavaan is never a dependency of Flourish).
"""
from __future__ import annotations

import argparse
import datetime
import os
import shutil
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from bench_cfa import R_WHOLE, F, K, machine, model_syntax, race_commands, simulate, timeit  # noqa: E402
from timing import write_results  # noqa: E402

from flourish.stats.cfa import fit_cfa  # noqa: E402

R_WHOLE_FIML = R_WHOLE.replace("data = d)", 'data = d, missing = "ml")')


def process_missing(Y: np.ndarray, seed: int, share: float = 0.10) -> np.ndarray:
    """"Not able to observe" as 360-degree raters give it: each rater skips each process (all five
    items of a factor) with probability `share`."""
    rng = np.random.default_rng(seed)
    skip = rng.random((Y.shape[0], F)) < share
    out = Y.copy()
    out[np.repeat(skip, K, axis=1)] = np.nan
    return out


def fiml_case(runs: int, with_lavaan: bool) -> dict:
    """Full-information ML (--missing ml) on the 8 x 5 model at N = 10,000 with process-level
    missingness: the fit in-process, and the whole `flourish cfa --missing ml` command against
    the whole `Rscript` run of lavaan's cfa(missing = "ml") on the same CSV file."""
    Y = process_missing(simulate(10_000, seed=10_000), seed=14)
    data = {f"y{i + 1}": Y[:, i] for i in range(Y.shape[1])}
    t, res = timeit(lambda: fit_cfa(data, model_syntax(), missing="ml"), 1)
    assert res["converged"], "FIML benchmark fit did not converge"
    out = {"fit": t, "chisq": res["fit"]["chisq"], "patterns": sum(res["missing_patterns"]),
           "complete": int(np.sum(~np.isnan(Y).any(axis=1))), "runs": runs}
    if not with_lavaan or not shutil.which("Rscript"):
        return out
    ours, theirs, printed = race_commands(Y, R_WHOLE_FIML, runs, ("--missing", "ml"))
    out.update({"flourish": ours, "lavaan": theirs, "lavaan_chisq": float(printed.split("\n")[1].split()[0])})
    out["ratio"] = out["flourish"] / out["lavaan"]
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-lavaan", action="store_true")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS-fiml.md"))
    args = ap.parse_args()
    fiml = fiml_case(args.runs, not args.no_lavaan)
    print(f"FIML N=10,000: fit {fiml['fit']:.2f} s" + (f", command {fiml['flourish']:.2f} s, Rscript "
          f"{fiml['lavaan']:.2f} s" if "lavaan" in fiml else ""), file=sys.stderr)
    m = machine()
    lines = ["## Full-information ML (issue 14)", "",
             f"Date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}  ",
             f"Machine: {m['platform']}, {m['cpu']} ({m['cores']} logical CPUs)  ",
             f"Python {m['python']}, numpy {m['numpy']}, BLAS: {m['blas']}  ",
             f"Load average at the end of the run: {os.getloadavg()[0]:.1f} (1 min) on {m['cores']} CPUs.  "]
    lines += ["Full-information ML (`--missing ml`, lavaan's `missing = \"ml\"`), 8 x 5 model, N = 10,000: each "
              "rater skips each process (its five items) with probability 0.10, as \"not able to observe\" comes "
              f"in 360-degree data ({fiml['complete']:,} complete rows, {fiml['patterns']} missing-data patterns).  ",
              "In-process `fit_cfa(..., missing=\"ml\")` (EM saturated model, estimates, observed-information SEs, "
              "fit measures); whole command `flourish cfa d.csv --model m.lav --missing ml` against the whole "
              "`Rscript` run of `cfa(model, data = d, missing = \"ml\")` + `fitMeasures()` + "
              "`parameterEstimates()` on the same CSV file, one run each, same machine and run.", ""]
    if "lavaan" in fiml:
        lines += ["| FIML fit (s) | Flourish command (s) | lavaan Rscript (s) | Ratio | chisq Flourish "
                  "| chisq lavaan |",
                  "|---:|---:|---:|---:|---:|---:|",
                  f"| {fiml['fit']:.2f} | {fiml['flourish']:.2f} | {fiml['lavaan']:.2f} | {fiml['ratio']:.2f} | "
                  f"{fiml['chisq']:.3f} | {fiml['lavaan_chisq']:.3f} |"]
    else:
        lines.append(f"FIML fit: {fiml['fit']:.2f} s (chisq {fiml['chisq']:.3f}); lavaan not run.")
    write_results(lines, args.out)


if __name__ == "__main__":
    main()

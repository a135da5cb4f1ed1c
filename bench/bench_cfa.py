"""Benchmark of the Flourish CFA engine (issue 5).

    .venv/bin/python bench/bench_cfa.py [--runs 5] [--no-lavaan] [--out bench/RESULTS-cfa.md]

Times full fit_cfa() calls (estimates, standard errors and fit measures) on simulated data:
8 factors x 5 items, ML at N = 1,000 / 10,000 / 100,000 and 5-point ordinal WLSMV at
N = 10,000.  Reports the median of several runs, a machine-independent ratio to a numpy
baseline (covariance matrix + Cholesky of the same data) and, if Rscript with lavaan is
installed, lavaan's time for the same call on the same data (benchmark only; lavaan is never
a dependency of Flourish).
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from timing import write_results  # noqa: E402

from flourish.stats._blas import single_threaded_blas  # noqa: E402
from flourish.stats.cfa import fit_cfa  # noqa: E402

F, K = 8, 5


def model_syntax() -> str:
    return "\n".join(f"f{f + 1} =~ " + " + ".join(f"y{f * K + k + 1}" for k in range(K)) for f in range(F))


def simulate(n: int, seed: int, ordinal: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    phi = np.full((F, F), 0.3) + 0.7 * np.eye(F)
    lam = np.zeros((F * K, F))
    for f in range(F):
        lam[f * K:(f + 1) * K, f] = rng.uniform(0.5, 0.85, size=K)
    eta = rng.multivariate_normal(np.zeros(F), phi, size=n)
    resid = np.sqrt(1 - (lam ** 2).sum(axis=1))
    y = eta @ lam.T + rng.normal(size=(n, F * K)) * resid
    if ordinal:
        cuts = np.array([-1.5, -0.5, 0.4, 1.3])
        return ((y[:, :, None] > cuts).sum(axis=2) + 1).astype(float)
    return 3 + y


def timeit(fn, runs):
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def baseline(Y, runs):
    """numpy covariance + Cholesky, single-threaded BLAS like the engine's small-matrix work."""
    def go():
        S = np.cov(Y, rowvar=False)
        return np.linalg.cholesky(S)
    with single_threaded_blas():
        return timeit(go, max(runs, 5))[0]


def machine() -> dict:
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas.get('name')} {blas.get('version')}"
    except Exception:  # noqa: BLE001
        blas = "unknown"
    return {"platform": platform.platform(), "python": platform.python_version(), "cpu": cpu,
            "cores": os.cpu_count(), "numpy": np.__version__, "blas": blas}


R_SCRIPT = r"""
suppressPackageStartupMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1]); runs <- as.integer(args[2]); ordinal <- args[3] == "1"
model <- readLines(args[4])
ts <- numeric(runs)
for (i in seq_len(runs)) {
  ts[i] <- system.time({
    if (ordinal) fit <- cfa(model, data = d, ordered = names(d), estimator = "WLSMV")
    else fit <- cfa(model, data = d)
    fm <- fitMeasures(fit); pe <- parameterEstimates(fit, standardized = TRUE)
  })[["elapsed"]]
}
cat(median(ts), as.character(packageVersion("lavaan")), fm[["chisq"]], "\n")
"""


def lavaan_time(Y, ordinal, runs):
    try:
        subprocess.run(["Rscript", "-e", "library(lavaan)"], capture_output=True, check=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "d.csv")
        names = [f"y{i + 1}" for i in range(Y.shape[1])]
        np.savetxt(csv, Y, delimiter=",", header=",".join(names), comments="", fmt="%.10g")
        mfile = os.path.join(tmp, "m.lav")
        with open(mfile, "w") as fh:
            fh.write(model_syntax())
        rfile = os.path.join(tmp, "b.R")
        with open(rfile, "w") as fh:
            fh.write(R_SCRIPT)
        out = subprocess.run(["Rscript", rfile, csv, str(runs), "1" if ordinal else "0", mfile],
                             capture_output=True, text=True, timeout=3600)
        if out.returncode != 0:
            return None
        t, version, chisq = out.stdout.split()[:3]
        return float(t), version, float(chisq)


R_WHOLE = r"""
suppressPackageStartupMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])
fit <- cfa(readLines(args[2]), data = d)
fm <- fitMeasures(fit); pe <- parameterEstimates(fit, standardized = TRUE)
print(fm[c("chisq", "df", "cfi", "rmsea", "srmr")]); print(pe)
"""


def race_commands(Y: np.ndarray, r_script: str, runs: int,
                  extra_args: tuple[str, ...] = ()) -> tuple[float, float, str]:
    """The whole `flourish cfa` command (with `extra_args`) against the whole `Rscript` run of
    `r_script` on the same CSV file of `Y` (a missing value as an empty cell) and the 8 x 5
    model: process start, imports, reading the file, the fit and the printed results. Runs
    alternate so both see the same machine load. Returns the median seconds of each and what
    the last R run printed."""
    flourish = os.path.join(os.path.dirname(sys.executable), "flourish")
    with tempfile.TemporaryDirectory() as tmp:
        csv = os.path.join(tmp, "d.csv")
        with open(csv, "w") as fh:
            fh.write(",".join(f"y{i + 1}" for i in range(Y.shape[1])) + "\n")
            for row in Y:
                fh.write(",".join("" if np.isnan(v) else f"{v:.10g}" for v in row) + "\n")
        mfile = os.path.join(tmp, "m.lav")
        with open(mfile, "w") as fh:
            fh.write(model_syntax() + "\n")
        rfile = os.path.join(tmp, "w.R")
        with open(rfile, "w") as fh:
            fh.write(r_script)
        ours, theirs, printed = [], [], ""
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([flourish, "cfa", csv, "--model", mfile, *extra_args], check=True, capture_output=True)
            ours.append(time.perf_counter() - t)
            t = time.perf_counter()
            printed = subprocess.run(["Rscript", rfile, csv, mfile], check=True, capture_output=True,
                                     text=True).stdout
            theirs.append(time.perf_counter() - t)
    return statistics.median(ours), statistics.median(theirs), printed


def whole_command(runs: int) -> dict | None:
    """`race_commands` on complete data, N = 10,000; median of each."""
    if not shutil.which("Rscript"):
        return None
    a, b, _ = race_commands(simulate(10_000, seed=10_000), R_WHOLE, runs)
    return {"flourish": a, "lavaan": b, "ratio": a / b, "runs": runs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-lavaan", action="store_true")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS-cfa.md"))
    args = ap.parse_args()
    model = model_syntax()
    cases = [("ML", 1_000, False), ("ML", 10_000, False), ("ML", 100_000, False), ("WLSMV", 10_000, True)]
    rows = []
    for est, n, ordinal in cases:
        Y = simulate(n, seed=n + ordinal, ordinal=ordinal)
        data = {f"y{i + 1}": Y[:, i] for i in range(Y.shape[1])}
        runs = args.runs if n < 100_000 else max(3, args.runs - 2)
        fit_cfa(data, model, estimator=est.lower())  # warm-up
        t, res = timeit(lambda data=data, est=est: fit_cfa(data, model, estimator=est.lower()), runs)
        assert res["converged"], "benchmark fit did not converge"
        b = baseline(Y, runs)
        lav = None if args.no_lavaan else lavaan_time(Y, ordinal, 3 if (n < 100_000 and not ordinal) else 1)
        target = 0.2 if est == "ML" else 2.0
        rows.append({"est": est, "n": n, "t": t, "runs": runs, "base": b, "lav": lav, "target": target,
                     "chisq": res["fit"]["chisq"]})
        print(f"{est} N={n}: {t:.3f} s (baseline {b * 1000:.1f} ms)"
              + (f", lavaan {lav[0]:.2f} s" if lav else ""), file=sys.stderr)
    whole = None if args.no_lavaan else whole_command(max(3, args.runs))
    if whole:
        print(f"whole command: flourish {whole['flourish']:.2f} s, Rscript {whole['lavaan']:.2f} s, "
              f"ratio {whole['ratio']:.2f}", file=sys.stderr)
    m = machine()
    lav_version = next((r["lav"][1] for r in rows if r["lav"]), None)
    lines = ["# CFA engine benchmark", "",
             f"Date: {datetime.datetime.now(datetime.UTC).strftime('%Y-%m-%d %H:%M UTC')}  ",
             f"Machine: {m['platform']}, {m['cpu']} ({m['cores']} logical CPUs)  ",
             f"Python {m['python']}, numpy {m['numpy']}, BLAS: {m['blas']}  ",
             f"Model: {F} correlated factors x {K} items ({F * K} indicators), simulated data; "
             "time = median of full `fit_cfa()` calls (estimates, SEs, fit measures).  ",
             "Baseline = numpy covariance + Cholesky of the same data, single-threaded BLAS "
             "(machine-noise yardstick: compare the ratio column across machines).  ",
             f"Load average at the end of the run: {os.getloadavg()[0]:.1f} (1 min) on {m['cores']} CPUs.  ",
             ("lavaan " + lav_version + " via Rscript: `cfa()` + `fitMeasures()` + `parameterEstimates()`, "
              "median of runs, data already in memory." if lav_version else "lavaan: not run."), "",
             "| Estimator | N | Flourish (s) | Target (s) | Baseline (ms) | Flourish / baseline | lavaan (s) "
             "| Speed-up vs lavaan | chisq Flourish | chisq lavaan |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lav = r["lav"]
        lines.append(f"| {r['est']} | {r['n']:,} | {r['t']:.3f} | < {r['target']} | {r['base'] * 1000:.1f} | "
                     f"{r['t'] / r['base']:.0f}x | {lav[0]:.2f} | {lav[0] / r['t']:.1f}x | {r['chisq']:.3f} | "
                     f"{lav[2]:.3f} |" if lav else
                     f"| {r['est']} | {r['n']:,} | {r['t']:.3f} | < {r['target']} | {r['base'] * 1000:.1f} | "
                     f"{r['t'] / r['base']:.0f}x | - | - | {r['chisq']:.3f} | - |")
    lines += ["", "Whole command, 8 x 5 model, ML, N = 10,000, the same CSV file: `flourish cfa d.csv --model m.lav` "
              "against `Rscript` running `library(lavaan)`, `read.csv`, `cfa()`, `fitMeasures()`, "
              "`parameterEstimates()` and printing them (process start to exit, runs alternated, median).  ",
              "Target (issue 14): ratio at most 0.5.", ""]
    if whole:
        lines += ["| Flourish command (s) | lavaan Rscript (s) | Ratio | Runs |", "|---:|---:|---:|---:|",
                  f"| {whole['flourish']:.2f} | {whole['lavaan']:.2f} | {whole['ratio']:.2f} | {whole['runs']} |"]
    else:
        lines.append("Not measured (Rscript with lavaan not installed).")
    write_results(lines, args.out)


if __name__ == "__main__":
    main()

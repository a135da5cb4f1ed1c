"""`make bench`: every benchmark, then their results gathered into docs/benchmarks.md."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = """# Benchmarks

`make bench` runs the benchmarks below and rewrites this file from their results. Each
result carries the machine and the date, and a ratio to a baseline measured in the same
run, because machines are noisy. Tests never assert timings.
"""


def main():
    runs = [
        [sys.executable, "bench/bench_report.py"],
        [sys.executable, "bench/bench_qualitative.py"],
        [sys.executable, "bench/bench_assist.py"],
        [sys.executable, "bench/bench_disclosure.py", "--out", "bench/RESULTS-disclosure.md"],
        [sys.executable, "bench/bench_ledger.py", "--out", "bench/RESULTS-ledger.md"],
        [sys.executable, "bench/bench_cfa.py", *([] if shutil.which("Rscript") else ["--no-lavaan"])],
        [sys.executable, "bench/bench_fiml.py", *([] if shutil.which("Rscript") else ["--no-lavaan"])],
        [sys.executable, "bench/bench_ordinal_groups.py", *([] if shutil.which("Rscript") else ["--no-lavaan"])],
        # issue 15: a wave's integration indices for 2,000 teams × 20, and the model across them.
        [sys.executable, "bench/bench_pulse.py", "--out", "bench/RESULTS-pulse.md"],
        # gunicorn under 32 concurrent raters on SQLite (and PostgreSQL when it is up), beside a one-row floor.
        [sys.executable, "bench/bench_load.py"],
    ]
    for command in runs:
        print("$", " ".join(command), flush=True)
        subprocess.run(command, cwd=ROOT, check=True)
    parts = [HEADER]
    for name in ("RESULTS-report.md", "RESULTS-disclosure.md", "RESULTS-ledger.md", "RESULTS-cfa.md",
                 "RESULTS-fiml.md", "RESULTS-ordinal-groups.md", "RESULTS-pulse.md", "RESULTS-qualitative.md",
                 "RESULTS-assist.md", "RESULTS-load.md", "RESULTS-mutation.md"):
        path = ROOT / "bench" / name
        if path.exists():
            text = path.read_text(encoding="utf-8")
            parts.append(text.replace("# CFA engine benchmark", "## CFA engine (issue 5)", 1))
    (ROOT / "docs" / "benchmarks.md").write_text("\n".join(parts), encoding="utf-8")
    print("wrote docs/benchmarks.md")


if __name__ == "__main__":
    main()

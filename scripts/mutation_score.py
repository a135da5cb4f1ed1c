"""`make mutation`, after `mutmut run`: the score, written to bench/RESULTS-mutation.md
(gathered into docs/benchmarks.md by bench/run.py) and printed.

Score = killed / (mutants - equivalent). Mutants that time out count as killed (the test
run noticed); "no tests" and "survived" count against. The equivalent ones (no test can
tell them from the original) are listed by name in docs/mutation.md with the reason.
Exit status 1 below the target, so the score is a gate when run on purpose.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.90
KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def results() -> dict[str, str]:
    out = subprocess.run([str(Path(sys.executable).with_name("mutmut")), "results", "--all", "true"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            found[name] = status
    return found


def equivalent() -> set[str]:
    text = (ROOT / "docs" / "mutation.md").read_text(encoding="utf-8")
    section = text.split("## Equivalent mutants", 1)[-1]
    return set(re.findall(r"`(flourish\.[^`\s]+__mutmut_\d+)`", section))


def main() -> int:
    everything = results()
    # An interrupted run leaves mutants unchecked: the score covers the checked ones, and says so.
    unchecked = sorted(n for n, s in everything.items() if s == "not checked")
    status = {n: s for n, s in everything.items() if s != "not checked"}
    same = equivalent() & set(status)
    counted = {n: s for n, s in status.items() if n not in same}
    tally = Counter(counted.values())
    killed = sum(tally[s] for s in KILLED)
    score = killed / len(counted) if counted else 0.0
    survivors = sorted(n for n, s in counted.items() if s not in KILLED)
    now = datetime.datetime.now(datetime.UTC)
    lines = [
        "## Mutation testing: flourish/lib and flourish/stats/reliability.py (issue 12)",
        "",
        f"Date: {now:%Y-%m-%d %H:%M} UTC  ",
        f"Machine: {platform.platform()} ({os.cpu_count()} CPUs), Python {platform.python_version()}, "
        "mutmut, one worker, pure tests only (`-p no:django`).  ",
        f"Mutants: {len(everything)}, checked {len(status)}"
        + (f" (run interrupted; {len(unchecked)} not checked)" if unchecked else "")
        + f"; equivalent (docs/mutation.md): {len(same)}; "
        f"killed {killed} of the {len(counted)} others: **{score:.1%}** (target {TARGET:.0%}).  ",
        "By outcome: " + ", ".join(f"{s} {n}" for s, n in sorted(tally.items())) + ".",
        "",
    ]
    if survivors:
        lines += ["Surviving, not judged equivalent (tests to write):", ""]
        lines += [f"- `{n}`" for n in survivors[:60]]
        if len(survivors) > 60:
            lines.append(f"- … and {len(survivors) - 60} more (`mutmut results`)")
        lines.append("")
    (ROOT / "bench" / "RESULTS-mutation.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines[:6]))
    return 0 if score >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())

"""Qualitative workbench benchmark: transcript import and agreement at project scale.

200 synthetic transcripts (about 2 million characters in all) are parsed from bytes
(`flourish.qualitative.core.sources.parse`), split into turn and sentence units, and
agreement is computed for two coders x 10 codes over the turns (with 1000 bootstrap
resamples). Then the same through the web app's code on a real (SQLite) database: the 200
files imported into a project as one user action (`actions.import_sources`), two coders'
codings stored, and agreement computed from the database (`analysis.project_agreement`).
Times are medians of repeated runs; the baseline is a trivial pass over the same bytes
(UTF-8 decode + str.split on lines) measured in the same run, so the ratio column can be
compared across machines. Writes bench/RESULTS-qualitative.md.
"""

import datetime
import os
import platform
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
TMP = tempfile.mkdtemp(prefix="flourish-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{TMP}/bench.sqlite3"
os.environ["FLOURISH_VAR_DIR"] = TMP
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flourish.settings")
os.environ["DEBUG"] = "true"
from timing import median_time  # noqa: E402

from flourish.qualitative.core.agreement import Segment, Unit, agreement  # noqa: E402
from flourish.qualitative.core.sources import parse, split_sentences, units  # noqa: E402

ROOT = Path(__file__).resolve().parent
WORDS = ["the", "family", "health", "visitor", "team", "school", "partners", "pathway", "funding", "trust",
         "meeting", "plan", "child", "we", "they", "worked", "together", "across", "services", "because", "it",
         "was", "hard", "but", "then"]


def transcripts(n=200, chars=10_000, seed=1):
    rng = np.random.default_rng(seed)
    files = []
    for _ in range(n):
        lines, size = [], 0
        while size < chars:
            speaker = ("Interviewer", "Leader", "Dr Sam Lee")[int(rng.integers(0, 3))]
            sentences = []
            for _ in range(int(rng.integers(1, 5))):
                sentences.append(" ".join(rng.choice(WORDS, int(rng.integers(5, 18)))).capitalize() + ".")
            line = f"{speaker}: {' '.join(sentences)} 👍🏽"
            lines.append(line)
            size += len(line) + 2
        files.append(("\r\n".join(lines)).encode("utf-8"))
    return files


def main():
    files = transcripts()
    total_chars = sum(len(f.decode()) for f in files)
    baseline = median_time(lambda: [f.decode("utf-8").split("\n") for f in files], 7)
    parsed = [parse(f, f"t{i}.txt") for i, f in enumerate(files)]
    t_import = median_time(lambda: [parse(f, f"t{i}.txt") for i, f in enumerate(files)], 5)
    t_units = median_time(lambda: [units(s, "sentence") for s in parsed], 5)
    long_turn = "Ann: " + "We met Dr. Rao on the ward and talked. " * 60_000  # one 2.4 MB turn (issue 16)
    t_long = median_time(lambda: split_sentences(long_turn, 5), 3)
    unit_list = [Unit(i, a, b) for i, s in enumerate(parsed) for a, b in units(s, "turn")]
    rng = np.random.default_rng(2)
    segments = []
    for u in unit_list:
        truth = rng.random(10) < 0.15
        for coder, noise in (("A", 0.05), ("B", 0.1)):
            for code in np.flatnonzero(truth != (rng.random(10) < noise)):
                segments.append(Segment(coder, u.source, u.start, min(u.end, u.start + 40), int(code)))
    run = lambda b: agreement(unit_list, segments, ["A", "B"], list(range(10)), bootstrap_samples=b, seed=0)  # noqa: E731
    t_agree = median_time(lambda: run(0), 5)
    t_agree_boot = median_time(lambda: run(1000), 3)
    report = run(1000)
    db_rows, db_note = database_steps(files, segments)
    n_sent = sum(len(units(s, "sentence")) for s in parsed)
    rows = [
        ("Import 200 transcripts (parse + turns)", t_import),
        (f"Sentence units ({n_sent:,})", t_units),
        (f"Sentences of one turn of {len(long_turn):,} characters without line breaks", t_long),
        (f"Agreement, 2 coders x 10 codes, {len(unit_list):,} turns, no bootstrap", t_agree),
        ("Agreement as above + 1000 bootstrap resamples", t_agree_boot),
        *db_rows,
    ]
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    out = [
        "## Qualitative workbench (issue 6)",
        "",
        f"Date: {now}  ",
        f"Machine: {platform.platform()}, {platform.processor() or platform.machine()} "
        f"({os.cpu_count()} logical CPUs)  ",
        f"Python {platform.python_version()}, numpy {np.__version__}  ",
        f"Data: 200 synthetic CRLF transcripts, {total_chars:,} characters, {len(unit_list):,} turns, "
        f"{len(segments):,} codings.  ",
        f"Baseline = UTF-8 decode + split into lines of the same bytes: {baseline * 1000:.1f} ms (median).  ",
        f"Mean alpha over codes: {np.mean([r.krippendorff_alpha for r in report.per_code.values()]):.3f}; "
        f"{len(report.disagreements):,} disagreements listed.  ",
        db_note,
        "",
        "| Step | Median (s) | Ratio to baseline |",
        "|---|---:|---:|",
    ]
    out += [f"| {name} | {t:.3f} | {t / baseline:,.0f}x |" for name, t in rows]
    text = "\n".join(out) + "\n"
    (ROOT / "RESULTS-qualitative.md").write_text(text, encoding="utf-8")
    print(text)


def database_steps(files, segments):
    """Import, store codings and compute agreement through the app, on SQLite."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    from flourish.frameworks.models import Framework
    from flourish.qualitative import actions, analysis, selectors
    from flourish.qualitative.models import Coding, text_hash
    from flourish.testing import personas

    lead, second = personas.researcher(), personas.second_researcher()
    version = Framework.objects.get(slug="vaggers-anderson").latest()
    named = [(f"t{i}.txt", f) for i, f in enumerate(files)]
    projects = []

    def import_all():
        project = actions.create_project(lead, lead.memberships.first().organisation,
                                         f"Bench {len(projects)}", version)
        actions.import_sources(project, lead, named)
        projects.append(project)

    t_import = median_time(import_all, 3)
    project = projects[-1]
    actions.add_member(project, second.email)
    sources = {int(s.name[1:-4]): s for s in project.sources.all()}
    codes = list(project.codes.all())
    layers = {"A": selectors.person_layer(project, lead), "B": selectors.person_layer(project, second)}
    Coding.objects.bulk_create([
        Coding(source=sources[s.source], code=codes[s.code % len(codes)], coder=layers[s.coder], start=s.start,
               end=s.end, text_hash=text_hash(sources[s.source].text[s.start:s.end]))
        for s in segments if s.code < len(codes)
    ], batch_size=2000, ignore_conflicts=True)
    t_agree = median_time(lambda: analysis.project_agreement(project, bootstrap_samples=0), 3)
    t_boot = median_time(lambda: analysis.project_agreement(project, bootstrap_samples=1000), 3)
    stored = Coding.objects.filter(source__project=project).count()
    rows = [
        ("Import 200 transcripts into a project on SQLite (one transaction)", t_import),
        (f"Agreement from the database, 2 coders x {len(codes)} codes, no bootstrap", t_agree),
        ("Agreement from the database + 1000 bootstrap resamples", t_boot),
    ]
    return rows, f"Database steps: SQLite, {stored:,} stored codings over {len(codes)} framework codes."


if __name__ == "__main__":
    main()

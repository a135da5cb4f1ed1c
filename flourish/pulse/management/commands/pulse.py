"""flourish pulse import|export|indices — the team integration pulse on the command line.

- ``import ROSTER.csv --team ID``: add the people in a CSV file (name, email, profession,
  agency) to a team's roster, all or nothing; every problem is named by row and column.
- ``export --team ID [--wave ID] [--output FILE]``: the closed waves' results as JSON with the
  API's stable keys (only what the disclosure ledger released to the leader).
- ``indices TEAMS.json [--k K]``: the k-safe indices (scores through the aggregation decision,
  the role-to-role matrix, density and E–I index) for teams in a file, with no database.
- ``close-due``: close the waves whose closing date has passed (``flourish tick`` queues the
  same work hourly, job ``pulse.close_due``).
"""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand

from flourish import audit
from flourish.core.management_utils import fail, write_output
from flourish.lib.disclosure import MIN_K
from flourish.pulse import actions, presenters, results
from flourish.pulse.models import Team, WaveStatus


def _team(pk) -> Team:
    try:
        found = Team.objects.select_related("organisation", "leader").filter(pk=int(pk)).first()
    except ValueError:
        fail(f"--team must be a team id (a whole number), got {pk!r}")
    if found is None:
        fail(f"no team with id {pk}")
    return found


class Command(BaseCommand):
    help = "The team integration pulse: import a roster, export results, work out indices from a file."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        imp = verbs.add_parser("import", help="add a CSV roster (name, email, profession, agency) to a team")
        imp.add_argument("file")
        imp.add_argument("--team", required=True, help="the team's id")
        exp = verbs.add_parser("export", help="a team's closed waves' results as JSON")
        exp.add_argument("--team", required=True, help="the team's id")
        exp.add_argument("--wave", help="only this wave's id")
        exp.add_argument("--output", help="write to this file instead of standard output")
        ind = verbs.add_parser("indices", help="k-safe indices for the teams in a JSON file (no database)")
        ind.add_argument("file")
        ind.add_argument("--k", type=int, default=MIN_K, help=f"the anonymity minimum (at least {MIN_K})")
        ind.add_argument("--output", help="write to this file instead of standard output")
        verbs.add_parser("close-due", help="close waves whose closing date has passed (flourish tick does it hourly)")

    def handle(self, *args, verb, **options):
        getattr(self, f"_{verb.replace('-', '_')}")(**options)

    def _close_due(self, **options):
        self.stdout.write(f"closed {len(actions.close_due_waves())} wave(s)")

    def _import(self, file, team, **options):
        found = _team(team)
        try:
            with open(Path(file), encoding="utf-8-sig", newline="") as fh:
                reader = csv.DictReader(fh)
                missing = [c for c in actions.ROSTER_COLUMNS if c not in (reader.fieldnames or [])]
                if missing:
                    fail(f"{file}: row 1: the header needs the column(s) {', '.join(missing)}")
                rows = list(reader)
        except OSError as error:
            fail(f"{file}: cannot be read: {error.strerror}")
        except UnicodeDecodeError:
            fail(f"{file}: is not UTF-8 text")
        try:
            added = actions.import_roster(found, rows)
        except actions.NotAllowed as problem:
            fail(f"{file}: {problem}")
        audit.record(None, "pulse-roster-imported", found, via="command line", rows=len(added))
        self.stdout.write(f"added {len(added)} people to the roster of {found.name}")

    def _export(self, team, wave, output, **options):
        found = _team(team)
        waves = found.waves.filter(status=WaveStatus.CLOSED)
        if wave is not None:
            waves = waves.filter(pk=wave) if str(wave).isdigit() else waves.none()
            if not waves.exists():
                fail(f"team {found.pk} has no closed wave with id {wave}")
        data = {"team": found.pk, "name": found.name, "waves": [presenters.api_results(w) for w in waves]}
        write_output(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False), output, self.stdout)
        audit.record(None, "pulse-results-exported", found, via="command line")

    def _indices(self, file, k, output, **options):
        if k < MIN_K:
            fail(f"--k must be at least {MIN_K} (the anonymity minimum), got {k}")
        try:
            document = json.loads(Path(file).read_text(encoding="utf-8"))
        except OSError as error:
            fail(f"{file}: cannot be read: {error.strerror}")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            fail(f"{file}: is not a JSON file: {error}")
        try:
            data = results.indices_from_document(document, k)
        except ValueError as problem:
            fail(f"{file}: {problem}")
        write_output(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False), output, self.stdout)

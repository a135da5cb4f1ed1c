"""flourish responses import CSV --leader EMAIL --organisation NAME --framework SLUG

A completed cycle from a file (paper surveys, other tools): all-or-nothing, with every
problem named by row and column. On success only the new cycle's id goes to stdout (for
scripts); a line for people goes to stderr.
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from flourish import audit
from flourish.core.management_utils import fail
from flourish.feedback.importing import ImportProblems, import_responses


class Command(BaseCommand):
    help = "Import completed 360° responses from a CSV file as a closed cycle with its report released."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        imp = verbs.add_parser(
            "import",
            help="import a completed cycle from CSV; prints the new cycle's id",
            description=(
                "One row per respondent. Columns: respondent, role (self|other), group, relationship, "
                "one column per item id of the framework (1 to 5; empty = not able to observe), "
                "optional comment:<process id> columns. All-or-nothing: on any problem nothing is saved."
            ),
        )
        imp.add_argument("csv", help="the CSV file (UTF-8)")
        imp.add_argument("--leader", required=True, help="the leader's email (account created if new)")
        imp.add_argument("--organisation", required=True, help="organisation name (created if new)")
        imp.add_argument("--framework", required=True, help="framework slug; its latest version is used")
        imp.add_argument("--title", help="the cycle's title (default: 'Imported feedback, <date>')")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def handle_import(self, csv, leader, organisation, framework, title, **options):
        path = Path(csv)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            fail(f"{csv}: no such file")
        except IsADirectoryError:
            fail(f"{csv}: is a directory, not a file")
        except OSError as error:
            fail(f"{csv}: cannot read: {error.strerror}")
        try:
            cycle = import_responses(
                data, leader_email=leader, organisation_name=organisation, framework_slug=framework, title=title,
            )
        except ImportProblems as error:
            count = len(error.problems)
            fail(f"{csv}: nothing imported ({count} problem{'s' if count != 1 else ''}):\n"
                 + "\n".join(error.problems))
        audit.record(None, "import", cycle, file=path.name[:200], kind="responses csv")
        report = cycle.report["respondents"]
        self.stderr.write(
            f"Imported {cycle.title!r} as cycle {cycle.pk} for {cycle.leader.email} at {cycle.organisation.name}: "
            f"{report['others']} other respondents, self-assessment {'included' if report['self'] else 'absent'}; "
            "report released.",
            style_func=lambda text: text,  # information, not an error: no red
        )
        self.stdout.write(str(cycle.pk))

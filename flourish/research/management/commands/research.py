"""flourish research export --format csv|sav|parquet --output FILE.zip [--organisation NAME]

Every consented, de-identified observation this installation holds (all organisations
unless --organisation), in the same form as the researcher's download: a zip of the data
file, codebook.csv and README.txt.
"""

from django.core.management.base import BaseCommand

from flourish import audit
from flourish.accounts.models import Organisation
from flourish.core.management_utils import fail, write_output
from flourish.research import actions, dataset, exports


class Command(BaseCommand):
    help = "Research data: export the consented, de-identified data set."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        exp = verbs.add_parser(
            "export", help="write the consented, de-identified data set to a file",
            description="One row per observation (self-assessment or rater response) whose people opted in; "
                        "no names, emails, comments or exact dates. Written as a zip with the data file, "
                        "codebook.csv (item wording, process, values, missing codes) and README.txt.",
        )
        exp.add_argument("--format", required=True, choices=sorted(exports.FORMATS), dest="fmt")
        exp.add_argument("--output", required=True,
                         help="the zip file to write (the data, codebook.csv and README.txt)")
        exp.add_argument("--organisation", help="only this organisation (its exact name)")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def handle_export(self, fmt, output, organisation=None, **options):
        organisations = None
        if organisation:
            found = Organisation.objects.filter(name=organisation)
            if not found.exists():
                fail(f"No organisation is called {organisation!r}.")
            organisations = found
        ds = dataset.build(organisations)
        write_output(actions.export_dataset(organisations, None, fmt), output, self.stdout)
        # One entry for each organisation whose data went out, so each one's admins see it.
        for each in organisations if organisations is not None else Organisation.objects.all():
            audit.record(None, "research-exported", each, format=fmt, via="command line")
        for note in ds.notes:
            self.stderr.write(note, style_func=lambda text: text)
        self.stderr.write(
            f"Wrote {len(ds.rows)} rows ({ds.count('other')} rater responses, {ds.count('self')} "
            f"self-assessments) to {output}.",
            style_func=lambda text: text,
        )

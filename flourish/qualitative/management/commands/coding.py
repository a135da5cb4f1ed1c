"""flourish coding list [--format text|json]
flourish coding import FILE.qdpx --project NAME [--organisation NAME] [--user EMAIL]
flourish coding import FILE.qdc --project NAME [--organisation NAME] [--user EMAIL]
flourish coding export PROJECT --format qdpx|qdc --output FILE [--organisation NAME]
flourish coding agreement PROJECT [--format json] [--coders A,B] [--unit turn|sentence]
                          [--exclude-uncoded] [--bootstrap N] [--organisation NAME]
flourish coding suggest PROJECT [--unit turn|sentence] [--threshold X] [--organisation NAME]

`import` of a .qdpx makes a new project called NAME (REFI-QDA exchange, see
`flourish.qualitative.exchange`) with the --user as its lead researcher; of a .qdc adds the
codebook's codes to the existing project NAME. --organisation may be left out when there is
only one; --user when the organisation has only one researcher. The summary goes to standard
output, then every skipped item with its reason.

PROJECT is a project's id or its exact name. `export` writes the .qdpx archive or .qdc
codebook to FILE; codings whose source has changed since they were coded are left out, and
listed on standard error. `agreement` prints `analysis.project_agreement` as JSON (--coders:
layer names or ids, comma-separated). `list` prints every project with its counts.
`suggest` runs assisted coding (the optional `assist` extra) over the uncoded units, as the
project's page does, but outside a web request: use it for large projects. Suggestions go
to the "assistant" layer only; people accept or reject them on the assisted-coding page.
"""

import json
import math
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db.models import Count

from flourish import audit
from flourish.accounts.models import Membership, Organisation, Role, User
from flourish.core.management_utils import fail, write_output
from flourish.qualitative import actions_exchange, exchange
from flourish.qualitative.actions import NotAllowed
from flourish.qualitative.models import Coding, Project

EXPORT_FORMATS = ("qdpx", "qdc")


def _quiet(text):
    return text


def _finite(value):
    """NaN and infinities as null, so the output is strict JSON."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


class Command(BaseCommand):
    help = "Coding projects: list them, import and export REFI-QDA files, coder agreement."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="every coding project with its counts")
        listing.add_argument("--format", default="text", choices=("text", "json"), dest="fmt")
        imp = verbs.add_parser("import", help="a .qdpx as a new project, or a .qdc into a project",
                               description="A .qdpx archive becomes a new project; a .qdc codebook is added to an "
                                           "existing project. Nothing is saved if the file cannot be read.")
        imp.add_argument("file", help="the .qdpx or .qdc file")
        imp.add_argument("--project", required=True,
                         help="the new project's name (.qdpx), or the existing project's id or name (.qdc)")
        imp.add_argument("--organisation", help="the organisation's exact name (needed when there are several)")
        imp.add_argument("--user", help="email of the researcher who leads the new project")
        exp = verbs.add_parser("export", help="a project as .qdpx, or its codebook as .qdc")
        exp.add_argument("project", help="the project's id or exact name")
        exp.add_argument("--format", required=True, choices=EXPORT_FORMATS, dest="fmt")
        exp.add_argument("--output", required=True, help="the file to write")
        exp.add_argument("--organisation", help="the organisation's exact name, when names repeat")
        agr = verbs.add_parser("agreement", help="agreement between coders, as JSON")
        agr.add_argument("project", help="the project's id or exact name")
        agr.add_argument("--format", default="json", choices=("json",), dest="fmt")
        agr.add_argument("--coders", help="comma-separated coder layer names or ids (default: everyone who coded)")
        agr.add_argument("--unit", choices=("turn", "sentence"), help="the unit (default: the project's)")
        agr.add_argument("--exclude-uncoded", action="store_true", help="leave out units nobody coded")
        agr.add_argument("--bootstrap", type=int, default=1000, help="bootstrap samples for intervals (0: none)")
        agr.add_argument("--organisation", help="the organisation's exact name, when names repeat")
        sug = verbs.add_parser("suggest", help="assisted-coding suggestions for uncoded units")
        sug.add_argument("project", help="the project's id or exact name")
        sug.add_argument("--unit", choices=("turn", "sentence"), help="the unit (default: the project's)")
        sug.add_argument("--threshold", type=float, help="lowest similarity to suggest a code (0 to 1)")
        sug.add_argument("--organisation", help="the organisation's exact name, when names repeat")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    # --- lookups ------------------------------------------------------------------------------

    def _organisation(self, name):
        if name:
            found = Organisation.objects.filter(name=name).first()
            if found is None:
                fail(f"No organisation is called {name!r}.")
            return found
        organisations = list(Organisation.objects.order_by("name")[:2])
        if len(organisations) != 1:
            fail("Choose the organisation with --organisation NAME" if organisations
                 else "There is no organisation yet: create one first with "
                 "flourish organisation create NAME --admin EMAIL")
        return organisations[0]

    def _project(self, ref, organisation=None):
        projects = Project.objects.select_related("organisation")
        if organisation:
            projects = projects.filter(organisation=self._organisation(organisation))
        if str(ref).isdigit() and projects.filter(pk=int(ref)).exists():
            return projects.get(pk=int(ref))
        found = list(projects.filter(name=ref))
        if not found:
            fail(f"No coding project is called {ref!r} (give its id or exact name; `flourish coding list` "
                 "shows them).")
        if len(found) > 1:
            fail(f"Several organisations have a project called {ref!r}: add --organisation NAME.")
        return found[0]

    def _lead(self, email, organisation):
        researchers = User.objects.filter(memberships__organisation=organisation,
                                          memberships__role=Role.RESEARCHER).distinct()
        if email:
            user = User.objects.filter(email__iexact=email.strip()).first()
            if user is None:
                fail(f"No user has the email address {email}.")
            if not Membership.objects.filter(user=user, organisation=organisation, role=Role.RESEARCHER).exists():
                fail(f"{email} is not a researcher in {organisation}.")
            return user
        found = list(researchers[:2])
        if len(found) != 1:
            fail(f"Choose who leads the project with --user EMAIL (a researcher in {organisation})."
                 if found else f"{organisation} has no researcher to lead the project: give one the role first.")
        return found[0]

    # --- verbs --------------------------------------------------------------------------------

    def handle_list(self, fmt, **options):
        rows = [
            {"id": p.pk, "name": p.name, "organisation": p.organisation.name,
             "framework": str(p.framework_version) if p.framework_version else None, "members": p.n_members,
             "sources": p.n_sources, "codes": p.n_codes,
             "codings": Coding.objects.filter(source__project=p).count(), "memos": p.n_memos}
            for p in Project.objects.select_related("organisation", "framework_version__framework").annotate(
                n_members=Count("members", distinct=True), n_sources=Count("sources", distinct=True),
                n_codes=Count("codes", distinct=True), n_memos=Count("memos", distinct=True)).order_by("pk")
        ]
        if fmt == "json":
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not rows:
            self.stdout.write("no coding projects")
        for r in rows:
            self.stdout.write(f"{r['id']}: {r['name']} ({r['organisation']}): {r['sources']} source(s), "
                              f"{r['codes']} code(s), {r['codings']} coding(s), {r['memos']} memo(s), "
                              f"{r['members']} member(s)")

    def handle_import(self, file, project, organisation=None, user=None, **options):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as error:
            fail(f"{file}: cannot read: {error.strerror}")
        kind = path.suffix.lower().lstrip(".")
        if kind not in EXPORT_FORMATS:
            fail(f"{file}: use a REFI-QDA project (.qdpx) or codebook (.qdc) file.")
        try:
            if kind == "qdc":
                target = self._project(project, organisation)
                lead = self._lead(user, target.organisation) if user else None
                made, report = actions_exchange.import_qdc(data, target, lead)
                self.stdout.write(f"Added {len(made)} code(s) to {target.name} (id {target.pk}).")
                audit.record(None, "import", target, file=path.name[:200], kind="qdc")
            else:
                org = self._organisation(organisation)
                created, report = actions_exchange.import_qdpx(data, org, self._lead(user, org), project)
                self.stdout.write(f"Imported {created.name} (id {created.pk}) into {org}: {report.summary()}.")
                audit.record(None, "import", created, file=path.name[:200], kind="qdpx")
        except NotAllowed as problem:
            fail(f"{file}: {problem}")
        for warning in report.warnings:
            self.stdout.write(f"Note: {warning}")
        lines = report.skipped_lines()
        self.stdout.write(f"Skipped {len(lines)} item(s)" + (":" if lines else "."))
        for line in lines:
            self.stdout.write(f"  - {line}")

    def handle_export(self, project, fmt, output, organisation=None, **options):
        found = self._project(project, organisation)
        notes: list[str] = []
        try:
            data = exchange.export_qdpx(found, notes) if fmt == "qdpx" else exchange.export_qdc(found, notes)
        except NotAllowed as problem:
            fail(str(problem))
        write_output(data, output, self.stdout)
        audit.record(None, "coding-exported", found, format=fmt)
        for note in notes:
            self.stderr.write(f"Note: {note}", style_func=_quiet)
        self.stderr.write(f"Wrote {found.name} as .{fmt} to {output}.", style_func=_quiet)

    def handle_agreement(self, project, fmt, coders=None, unit=None, exclude_uncoded=False, bootstrap=1000,
                         organisation=None, **options):
        from flourish.qualitative.analysis import project_agreement

        found = self._project(project, organisation)
        chosen = [c.strip() for c in coders.split(",") if c.strip()] if coders else None
        try:
            result = project_agreement(found, coders=chosen, unit_kind=unit, exclude_uncoded=exclude_uncoded,
                                       bootstrap_samples=bootstrap)
        except NotAllowed as problem:
            fail(str(problem))
        self.stdout.write(json.dumps(_finite(result), indent=2, ensure_ascii=False, allow_nan=False))

    def handle_suggest(self, project, unit=None, threshold=None, organisation=None, **options):
        from flourish.qualitative import actions_assist
        from flourish.qualitative.assist import suggest as assist

        found = self._project(project, organisation)
        if threshold is not None and not 0 <= threshold <= 1:
            fail(f"--threshold {threshold}: give a similarity between 0 and 1.")
        extra = {} if threshold is None else {"similarity_threshold": threshold}
        try:
            run = actions_assist.suggest(found, None, unit, **extra)
        except assist.AssistUnavailable as problem:
            fail(str(problem))
        except NotAllowed as problem:
            fail(str(problem))
        self.stdout.write(f"{found.name}: {run.units} uncoded unit(s) considered, {run.made} suggestion(s) "
                          f"written to the assistant layer, {run.kept} earlier one(s) kept.")

"""flourish sets list --format json|text
flourish sets export SET --format md|pdf [--output FILE]

`list` prints every set with its cycles. JSON keys (stable): a list of
{"id", "name", "organisation", "facilitator", "cycles": [{"number", "focus", "stage"}]},
where stage is one of plan, act, observe, reflect, closed.
`export` writes a set's record (cycles, sessions, notes, actions, observations,
reflections) as Markdown or PDF, the same content as the story page.
"""

import json

from django.core.management.base import BaseCommand

from flourish import audit
from flourish.core.management_utils import check_choice, fail, object_id, write_output
from flourish.sets import export
from flourish.sets.models import LearningSet

LIST_FORMATS = ("json", "text")
EXPORT_FORMATS = ("md", "pdf")


def sets_as_data() -> list[dict]:
    return [
        {
            "id": s.pk, "name": s.name, "organisation": s.organisation.name,
            "facilitator": s.facilitator.email,
            "cycles": [{"number": c.number, "focus": c.focus, "stage": c.stage}
                       for c in s.cycles.order_by("number")],
        }
        for s in LearningSet.objects.select_related("organisation", "facilitator").order_by("pk")
    ]


class Command(BaseCommand):
    help = "List action-learning sets, or export a set's record as Markdown or PDF."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        listing = verbs.add_parser("list", help="every set with its cycles")
        listing.add_argument("--format", default="text", help="text (default) or json")
        exporting = verbs.add_parser("export", help="a set's record as Markdown or PDF")
        exporting.add_argument("set", help="the set's id (a whole number)")
        exporting.add_argument("--format", default="md", help="md (default) or pdf")
        exporting.add_argument("--output", help="write to this file instead of standard output")

    def handle(self, *args, verb, format, **options):
        if verb == "list":
            self._list(format)
        else:
            self._export(options["set"], format, options.get("output"))

    def _list(self, format):
        check_choice(format, LIST_FORMATS)
        data = sets_as_data()
        if format == "json":
            self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
            return
        if not data:
            self.stdout.write("no sets")
        for s in data:
            self.stdout.write(f"{s['id']}: {s['name']} ({s['organisation']}), {len(s['cycles'])} cycle(s)")
            for c in s["cycles"]:
                self.stdout.write(f"    cycle {c['number']} [{c['stage']}]: {c['focus']}")

    def _export(self, set_id, format, output):
        check_choice(format, EXPORT_FORMATS)
        pk = object_id(set_id, "SET", "a set")
        learning_set = LearningSet.objects.select_related("framework_version__framework").filter(pk=pk).first()
        if learning_set is None:
            fail(f"no set with id {pk}")
        data = export.markdown(learning_set) if format == "md" else export.pdf(learning_set)
        write_output(data, output, self.stdout)
        audit.record(None, "set-record-exported", learning_set, format=format)

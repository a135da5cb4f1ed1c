"""flourish framework validate|show|load — framework files on the command line."""

import json

from django.core.management.base import BaseCommand

from flourish.accounts.models import Organisation
from flourish.core.management_utils import fail, write_output
from flourish.frameworks import validation
from flourish.frameworks.actions import FrameworkInUse, default_framework_slug, load_framework
from flourish.frameworks.models import Framework
from flourish.frameworks.serialise import framework_json


def as_text(version) -> str:
    doc = version.document
    lines = [f"{doc['name']} ({version.slug}, version {version.version})", doc["citation"]["text"], ""]
    for kind, title in (("main", "Main processes"), ("borderline", "Borderline processes")):
        lines.append(title)
        for p in doc["processes"]:
            if p["kind"] == kind:
                lines.append(f"  {p['name']} [{p['id']}] — {p.get('summary', '')}")
                lines.extend(f"    {i['id']}: {i['other']}" for i in p["items"])
        lines.append("")
    lines.append(doc["provenance"])
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Validate, show or load framework files (the model as data)."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        validate = verbs.add_parser("validate", help="check a framework file; exit 1 if invalid")
        validate.add_argument("path")
        show = verbs.add_parser("show", help="print a stored framework")
        show.add_argument("slug", nargs="?")
        show.add_argument("--version", type=int, dest="framework_version")
        show.add_argument("--format", choices=["json", "text"], default="text")
        load = verbs.add_parser("load", help="validate and store a framework file")
        load.add_argument("path")
        load.add_argument("--organisation", help="owning organisation (default: published)")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def _parse(self, path):
        try:
            return validation.load_file(path)
        except validation.FrameworkError as error:
            fail(str(error))

    def handle_validate(self, path, **options):
        doc = self._parse(path)
        items = sum(len(p["items"]) for p in doc["processes"])
        self.stdout.write(
            f"{path}: valid — {doc['slug']} version {doc['version']}, "
            f"{len(doc['processes'])} processes, {items} items"
        )

    def handle_show(self, slug, framework_version, format, **options):
        slug = slug or default_framework_slug()
        framework = Framework.objects.filter(slug=slug).first()
        if framework is None:
            known = ", ".join(Framework.objects.values_list("slug", flat=True)) or "none"
            fail(f"no framework {slug!r} (known: {known})")
        versions = framework.versions.all()
        version = versions.filter(version=framework_version).first() if framework_version else versions.first()
        if version is None:
            fail(f"framework {slug!r} has no version {framework_version}")
        if format == "json":
            write_output(json.dumps(framework_json(version), indent=2, ensure_ascii=False), None, self.stdout)
        else:
            write_output(as_text(version), None, self.stdout)

    def handle_load(self, path, organisation, **options):
        doc = self._parse(path)
        owner = None
        if organisation:
            owner = Organisation.objects.filter(name=organisation).first()
            if owner is None:
                fail(f"no organisation named {organisation!r}")
        try:
            version, created = load_framework(doc, organisation=owner)
        except FrameworkInUse as error:
            fail(f"{path}: {error}")
        state = "loaded" if created else "already loaded (unchanged)"
        self.stdout.write(f"{version.slug} version {version.version} {state}")

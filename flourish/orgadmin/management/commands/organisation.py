"""flourish organisation create NAME --admin EMAIL | flourish organisation list

The first step on a new install: the organisation and its first admin, who is emailed a
link to choose their own password. Running it again changes nothing that is already
there (it resends the link while the admin has not chosen a password yet)."""

from django.core.management.base import BaseCommand

from flourish.accounts.models import Organisation
from flourish.core.management_utils import fail
from flourish.orgadmin import actions


class Command(BaseCommand):
    help = "Create an organisation with its first admin, or list the organisations."

    def add_arguments(self, parser):
        verbs = parser.add_subparsers(dest="verb", required=True)
        create = verbs.add_parser(
            "create", help="create an organisation and email its first admin a set-your-password link"
        )
        create.add_argument("name", help="the organisation's name, e.g. \"Riverside Children's Centre\"")
        create.add_argument("--admin", required=True, metavar="EMAIL", help="the first organisation admin's email")
        verbs.add_parser("list", help="list the organisations and their admins")

    def handle(self, *args, verb, **options):
        getattr(self, f"handle_{verb}")(**options)

    def handle_create(self, name, admin, **options):
        try:
            _organisation, done = actions.create_organisation(name, admin)
        except actions.NotAllowed as problem:
            fail(str(problem))
        for line in done:
            self.stdout.write(line)

    def handle_list(self, **options):
        organisations = Organisation.objects.prefetch_related("memberships__user")
        if not organisations:
            self.stdout.write("No organisations yet: flourish organisation create NAME --admin EMAIL")
        for organisation in organisations:
            admins = sorted(m.user.email for m in organisation.memberships.all() if m.role == "admin")
            self.stdout.write(f"{organisation.name}: admins {', '.join(admins) or 'none'}")

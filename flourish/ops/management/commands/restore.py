"""`flourish restore PATH`: replace the database with a backup made by `flourish backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from flourish.ops import backup


class Command(BaseCommand):
    help = "Replace the whole database with the backup at PATH. Stop the web and worker processes first."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="do not ask for confirmation")

    def handle(self, *args, path, interactive, **options):
        try:
            kind = backup.check_backup(path)
        except backup.BackupError as problem:
            raise CommandError(str(problem)) from None
        if interactive:
            answer = input(f"This replaces everything in the {kind} database with {path}. Type 'yes' to go on: ")
            if answer.strip().lower() != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
        try:
            backup.restore(path)
        except backup.BackupError as problem:
            raise CommandError(f"{problem}\nNothing was changed.") from None
        self.stdout.write(f"Restored the {kind} database from {path}.")

"""`flourish backup PATH`: a consistent copy of the whole database (see flourish/ops/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from flourish.ops import backup


class Command(BaseCommand):
    help = "Back up the database to PATH (SQLite: online backup; PostgreSQL: pg_dump -Fc)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--force", action="store_true", help="replace PATH if it exists")

    def handle(self, *args, path, force, **options):
        if path.exists() and not force:
            raise CommandError(f"{path} already exists; choose a new name or pass --force")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} is not a folder")
        try:
            kind = backup.backup(path)
        except backup.BackupError as problem:
            raise CommandError(str(problem)) from None
        self.stdout.write(f"Backed up the {kind} database to {path} ({path.stat().st_size} bytes).")

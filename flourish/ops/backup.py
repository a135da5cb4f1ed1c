"""Backup and restore of the whole database, for `flourish backup` / `flourish restore`.

SQLite: the online backup API (a consistent copy while the site keeps serving, WAL
included), and restore through the same API into the live file, so open connections see
the restored data rather than a file swapped under them. PostgreSQL: `pg_dump -Fc` and
`pg_restore --clean --if-exists --single-transaction` (all or nothing), with the
connection settings of DATABASES passed in PG* environment variables.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connections

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    pass


def _database(alias: str = "default") -> dict:
    return connections[alias].settings_dict


def engine(alias: str = "default") -> str:
    name = _database(alias)["ENGINE"]
    if name.endswith("sqlite3"):
        return "sqlite"
    if name.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"backups support SQLite and PostgreSQL, not {name}")


def _pg_env(alias: str) -> dict:
    db = _database(alias)
    env = dict(os.environ)
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                      ("NAME", "PGDATABASE")):
        if db.get(key):
            env[name] = str(db[key])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed: install the PostgreSQL client tools (Debian: postgresql-client)")
    return found


def _run(argv: list[str], env: dict) -> None:
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{Path(argv[0]).name} failed ({done.returncode}): {done.stderr.strip()}")


def backup(path: Path, alias: str = "default") -> str:
    """Write a backup of the database to `path` (never a partial file). Returns the kind."""
    kind = engine(alias)
    partial = path.with_name(path.name + ".partial")
    try:
        if kind == "sqlite":
            source = sqlite3.connect(_database(alias)["NAME"])
            target = sqlite3.connect(partial)
            try:
                source.backup(target)
                target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
                problem = target.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                target.close()
                source.close()
            if problem != "ok":
                raise BackupError(f"the copy failed its integrity check: {problem}")
        else:
            _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(partial)], _pg_env(alias))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return kind


def check_backup(path: Path, alias: str = "default") -> str:
    """Refuse a file that is not a backup of this kind of database, before touching anything."""
    kind = engine(alias)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    with path.open("rb") as file:
        head = file.read(16)
    if kind == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not a SQLite database (this site runs on SQLite)")
        probe = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if probe.execute("SELECT name FROM sqlite_master WHERE name = 'django_migrations'").fetchone() is None:
                raise BackupError(f"{path} is a SQLite file but not a Flourish database (no django_migrations)")
        finally:
            probe.close()
    elif not head.startswith(PGDUMP_MAGIC):
        raise BackupError(f"{path} is not a pg_dump custom-format file (this site runs on PostgreSQL)")
    return kind


def restore(path: Path, alias: str = "default") -> str:
    """Replace the database's content with the backup at `path`, all or nothing."""
    kind = check_backup(path, alias)
    connections[alias].close()
    if kind == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        target = sqlite3.connect(_database(alias)["NAME"], timeout=60)
        try:
            source.backup(target)
        finally:
            target.close()
            source.close()
    else:
        env = _pg_env(alias)
        _run([_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--exit-on-error", "--dbname", env.get("PGDATABASE", ""), str(path)], env)
    return kind

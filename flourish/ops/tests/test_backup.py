"""Backup and restore drills on a live database (a SQLite file; PostgreSQL in the
PostgreSQL pass): answers are given, backed up, the database is changed and wiped, and
after the restore every response is found again exactly as it was."""

import subprocess
import sys

import pytest

from .livesite import (
    ROOT,
    database_params,
    environment,
    flourish,
    postgres_database,
    postgres_url,
    seed,
    sqlite_database,
)


@pytest.fixture(params=database_params())
def live_url(request, tmp_path):
    if request.param == "sqlite":
        return sqlite_database(tmp_path)
    return postgres_database(postgres_url(), suffix="_backup")


def test_a_backup_restored_after_a_wipe_gives_back_every_response(live_url, tmp_path):
    cycle = seed(live_url, "cycle", "--raters", "6", "--answered", "submitted")
    draft = seed(live_url, "cycle", "--raters", "3", "--answered", "all")
    before = [seed(live_url, "report", "--cycle", str(c["cycle"])) for c in (cycle, draft)]
    assert before[0]["submitted"] == 6 and before[1]["responses"] == 3

    copy = tmp_path / "flourish.backup"
    assert "Backed up" in flourish(live_url, "backup", str(copy))

    later = seed(live_url, "cycle", "--raters", "2", "--answered", "submitted")  # after the backup
    flourish(live_url, "flush", "--noinput")
    assert seed(live_url, "report", "--cycle", str(cycle["cycle"]))["responses"] == 0

    assert "Restored" in flourish(live_url, "restore", str(copy), "--noinput")

    after = [seed(live_url, "report", "--cycle", str(c["cycle"])) for c in (cycle, draft)]
    assert after == before
    assert seed(live_url, "report", "--cycle", str(later["cycle"]))["raters"] == 0  # the backup's moment


def run(live_url, *args, stdin=""):
    return subprocess.run([sys.executable, "-m", "flourish", *args], cwd=ROOT, capture_output=True, text=True,
                          env=environment(live_url), input=stdin, timeout=300)


def test_a_backup_never_overwrites_a_file_and_restore_refuses_what_is_not_a_backup(live_url, tmp_path):
    cycle = seed(live_url, "cycle", "--raters", "2", "--answered", "submitted")
    before = seed(live_url, "report", "--cycle", str(cycle["cycle"]))
    existing = tmp_path / "existing"
    existing.write_text("keep me")
    refused = run(live_url, "backup", str(existing))
    assert refused.returncode != 0 and "already exists" in refused.stderr
    assert existing.read_text() == "keep me"

    not_a_backup = run(live_url, "restore", str(existing), "--noinput")
    assert not_a_backup.returncode != 0 and "is not a" in not_a_backup.stderr

    copy = tmp_path / "copy"
    flourish(live_url, "backup", str(copy))
    cancelled = run(live_url, "restore", str(copy), stdin="no\n")
    assert cancelled.returncode != 0 and "cancelled" in cancelled.stderr
    assert seed(live_url, "report", "--cycle", str(cycle["cycle"])) == before

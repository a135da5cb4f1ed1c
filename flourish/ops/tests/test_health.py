"""Liveness (/healthz) never touches the database; readiness (/readyz) fails, with the
reason, when the database or the queue cannot be reached. Through the real server."""

import pytest
from django.test import override_settings

from flourish.core import health

from .livesite import Visitor, sqlite_database, start_server, stop_server


def test_a_running_site_is_live_and_ready(client, db):
    assert client.get("/healthz").content == b"ok"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.content.decode().splitlines() == ["database: ok", "queue: ok"]  # the database job queue (TASKS)
    assert ready["Cache-Control"] == "no-store"


def test_without_its_database_the_server_is_live_but_not_ready(tmp_path):
    # A SQLite file in a folder that does not exist: every connection attempt fails.
    server = start_server(f"sqlite:///{tmp_path / 'missing' / 'gone.sqlite3'}", tmp_path, workers=1,
                          extra_env={"FLOURISH_VAR_DIR": str(tmp_path)})
    try:
        browser = Visitor(server.base)
        assert browser.get("/healthz").status == 200
        ready = browser.get("/readyz")
        assert ready.status == 503
        assert ready.body.startswith("database: OperationalError")
    finally:
        stop_server(server)


def test_an_unmigrated_database_is_not_ready(tmp_path):
    server = start_server(f"sqlite:///{tmp_path / 'empty.sqlite3'}", tmp_path, workers=1)
    try:
        ready = Visitor(server.base).get("/readyz")
        assert ready.status == 503 and "django_migrations" in ready.body
    finally:
        stop_server(server)


def test_a_migrated_database_behind_the_real_server_is_ready(tmp_path):
    server = start_server(sqlite_database(tmp_path), tmp_path, workers=1)
    try:
        assert Visitor(server.base).get("/readyz").status == 200
    finally:
        stop_server(server)


@pytest.mark.django_db
def test_a_configured_queue_that_cannot_be_loaded_is_not_ready(client):
    with override_settings(TASKS={"default": {"BACKEND": "no.such.Backend"}}):
        check = health.queue_ready()
        assert not check.ok and check.detail.startswith("queue")
        assert client.get("/readyz").status_code == 503

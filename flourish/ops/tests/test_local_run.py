"""`make run PORT=8123` / `flourish run ADDR:PORT`: the links people are sent point where the
server really listens, and a phone on the same network can reach it (issue 17). Through
the real command: its runserver and its worker, a real SMTP server, a real sign-in."""

import os
import signal
import subprocess
import sys
import time

import pytest

from flourish.jobs.tests.smtp import SMTPServer
from flourish.ops.local import serving, split_addrport
from flourish.testing.personas import PASSWORD

from .livesite import ROOT, Visitor, free_port, seed, sqlite_database

LEADER = "amara@riverside.test"  # the seed's leader (flourish.testing.personas)


def test_a_port_alone_serves_on_loopback_and_links_follow_the_port():
    where = serving("8123", {})
    assert where.addrport == "127.0.0.1:8123"
    assert where.site_url == "http://127.0.0.1:8123"
    assert where.environment == {"SITE_URL": "http://127.0.0.1:8123"}


def test_every_address_links_to_the_machines_network_address_and_allows_it_as_a_host():
    where = serving("0.0.0.0:8123", {}, lan_address="192.168.1.20")
    assert where.site_url == "http://192.168.1.20:8123"
    assert where.environment["ALLOWED_HOSTS"].split(",")[-1] == "192.168.1.20"
    assert any("phone" in note for note in where.notes)


def test_an_explicit_site_url_and_allowed_hosts_win_and_a_port_mismatch_is_said():
    where = serving("0.0.0.0:8123", {"SITE_URL": "https://flourish.example.org", "ALLOWED_HOSTS": "x"},
                    lan_address="10.0.0.5")
    assert where.site_url == "https://flourish.example.org" and where.environment == {}
    assert "port 8123" in where.notes[0]


@pytest.mark.parametrize("bad", ["", "localhost", "127.0.0.1:http", "8000000", ":0"])
def test_a_malformed_address_is_refused_saying_what_to_give(bad):
    with pytest.raises(ValueError, match="give PORT or ADDRESS:PORT"):
        split_addrport(bad)


def wait_for(predicate, what, timeout=180):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def mail_server():
    server = SMTPServer(free_port())
    server.start()
    yield server
    server.stop()


def test_on_another_port_a_reminder_sent_from_the_page_links_to_that_port(tmp_path, mail_server):
    database = sqlite_database(tmp_path)
    cycle = seed(database, "cycle", "--raters", "3", "--answered", "none")["cycle"]
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_", "SITE_URL"))}
    env.update({"DATABASE_URL": database, "FLOURISH_VAR_DIR": str(tmp_path), "DEBUG": "true",
                "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(mail_server.port), "EMAIL_USE_TLS": "false",
                "TASKS_BACKEND": "database"})
    log = (tmp_path / "run.log").open("w")
    run = subprocess.Popen([sys.executable, "-m", "flourish", "run", f"127.0.0.1:{port}"], cwd=ROOT, env=env,
                           stdout=log, stderr=subprocess.STDOUT)
    try:
        leader = Visitor(f"http://127.0.0.1:{port}")
        sign_in = wait_for(lambda: leader.get("/account/sign-in/"), "the server to answer")
        assert leader.post("/account/sign-in/", {"username": LEADER, "password": PASSWORD},
                           sign_in.csrf).status == 302
        page = leader.get(f"/feedback/{cycle}/")
        before = len(mail_server.inbox.messages)
        assert leader.post(f"/feedback/{cycle}/remind/", {}, page.csrf).status == 302
        # The worker that `flourish run` started beside the server delivers them.
        wait_for(lambda: len(mail_server.inbox.messages) >= before + 3, "the reminders to be delivered")
        reminder = mail_server.inbox.messages[-1].content.decode()
        assert f"http://127.0.0.1:{port}/r/" in reminder
        assert "127.0.0.1:8000" not in reminder
    finally:
        run.send_signal(signal.SIGINT)
        run.wait(timeout=90)
        log.close()
    assert f"Flourish is at http://127.0.0.1:{port}/" in (tmp_path / "run.log").read_text()

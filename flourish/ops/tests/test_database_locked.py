"""SQLite held locked by another connection for longer than the busy timeout, through the
real stack (`flourish serve`, gunicorn, a real SQLite file): a rater's answers are saved by
trying the request again once the lock is free, and when it stays locked the rater gets a
503 page that says nothing was saved and when to try again, never a 500, with nothing of
the request written."""

import sqlite3
import threading
import time

import pytest

from .livesite import Visitor, page_answers, seed, sqlite_database, start_server, stop_server

BUSY_TIMEOUT = 1  # seconds, so the test need not wait SQLite's default 20


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    folder = tmp_path_factory.mktemp("locked")
    url = sqlite_database(folder)
    server = start_server(url, folder, workers=2, extra_env={
        "SQLITE_BUSY_TIMEOUT": str(BUSY_TIMEOUT), "SQLITE_LOCK_RETRIES": "1"})
    yield url, server
    stop_server(server)


def hold_write_lock(url: str, seconds: float) -> threading.Event:
    """Another process's writer: BEGIN IMMEDIATE on the same file, held for `seconds`.
    Returns an event set once the lock is held."""
    held = threading.Event()

    def hold():
        other = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None, timeout=30)
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        other.execute("ROLLBACK")
        other.close()

    threading.Thread(target=hold, daemon=True).start()
    assert held.wait(10)
    return held


def first_page(server, token):
    browser = Visitor(server.base)
    form = browser.get(f"/r/{token}/process/1/")
    assert form.status == 200
    return browser, form


def test_a_lock_held_past_the_busy_timeout_is_waited_out_by_trying_the_request_again(live):
    url, server = live
    cycle = seed(url, "cycle", "--raters", "1", "--answered", "none")
    [token] = cycle["tokens"]
    browser, form = first_page(server, token)

    hold_write_lock(url, BUSY_TIMEOUT * 1.6)  # the first try gives up; the second gets in
    started = time.monotonic()
    saved = browser.post(f"/r/{token}/process/1/", page_answers(cycle["processes"][0]), form.csrf)

    assert saved.status == 302, saved.body[-2000:] + server.logs()[-3000:]
    assert time.monotonic() - started > BUSY_TIMEOUT  # it really did wait for the lock
    stored = seed(url, "report", "--cycle", str(cycle["cycle"]))
    assert stored["answers"] == [len(cycle["processes"][0]["items"])]


def test_a_lock_that_stays_past_every_try_gives_a_503_that_says_nothing_was_saved(live):
    url, server = live
    cycle = seed(url, "cycle", "--raters", "1", "--answered", "none")
    [token] = cycle["tokens"]
    browser, form = first_page(server, token)

    hold_write_lock(url, BUSY_TIMEOUT * 6)  # longer than both tries and the pause between
    refused = browser.post(f"/r/{token}/process/1/", page_answers(cycle["processes"][0]), form.csrf)

    assert refused.status == 503, refused.body[-2000:]
    assert refused.headers["Retry-After"] == "5"
    assert "Your answer was not saved" in refused.body and "send it again" in refused.body
    assert " 500 " not in server.access_log.read_text()
    time.sleep(BUSY_TIMEOUT * 6)  # the other writer lets go
    assert seed(url, "report", "--cycle", str(cycle["cycle"]))["answers"] == []  # nothing partial

    # Sent again once the database is free, it is saved.
    form = browser.get(f"/r/{token}/process/1/")
    saved = browser.post(f"/r/{token}/process/1/", page_answers(cycle["processes"][0]), form.csrf)
    assert saved.status == 302
    assert seed(url, "report", "--cycle", str(cycle["cycle"]))["answers"] == [len(cycle["processes"][0]["items"])]

"""Nothing lost under concurrent raters, through the real stack: `flourish serve` (gunicorn,
4 workers) on a real SQLite file and on PostgreSQL, raters as separate browsers that fetch
each form (and its CSRF token) before posting. Every answer sent must be stored, and no
request may fail (a 500 "database is locked" is an answer lost)."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from .livesite import (
    Visitor,
    database_params,
    page_answers,
    postgres_database,
    postgres_url,
    seed,
    sqlite_database,
    start_server,
    stop_server,
)

RATERS = 20


@pytest.fixture(scope="module", params=database_params())
def live(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"live-{request.param}")
    url = sqlite_database(folder) if request.param == "sqlite" else postgres_database(postgres_url())
    server = start_server(url, folder, workers=4)
    yield url, server
    stop_server(server)


def all_at_once(jobs):
    """Run each job in its own thread; they wait at a barrier and then go together."""
    barrier = threading.Barrier(len(jobs))
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(lambda job: job(barrier), jobs))


def test_twenty_raters_sending_at_once_all_get_counted(live):
    url, server = live
    cycle = seed(url, "cycle", "--raters", str(RATERS), "--answered", "all-but-last")
    last = cycle["processes"][-1]
    steps = len(cycle["processes"])

    def rater(token):
        def job(barrier):
            browser = Visitor(server.base)
            form = browser.get(f"/r/{token}/process/{steps}/")
            barrier.wait()
            saved = browser.post(f"/r/{token}/process/{steps}/", page_answers(last), form.csrf)
            review = browser.get(f"/r/{token}/review/")
            sent = browser.post(f"/r/{token}/review/", {}, review.csrf)
            return form.status, saved.status, review.status, sent.status, sent.headers.get("Location", "")
        return job

    outcomes = all_at_once([rater(token) for token in cycle["tokens"]])

    assert [o[:4] for o in outcomes] == [(200, 302, 200, 302)] * RATERS, server.logs()[-3000:]
    assert all(o[4].endswith("/thank-you/") for o in outcomes)
    stored = seed(url, "report", "--cycle", str(cycle["cycle"]))
    items = sum(len(p["items"]) for p in cycle["processes"])
    assert stored["submitted"] == stored["responses"] == RATERS
    assert stored["answers"] == [items] * RATERS


def test_two_tabs_saving_different_pages_at_once_keep_both_pages(live):
    url, server = live
    cycle = seed(url, "cycle", "--raters", "10", "--answered", "none")
    first, second = cycle["processes"][:2]

    def tab(token, step, process):
        def job(barrier):
            browser = Visitor(server.base)
            form = browser.get(f"/r/{token}/process/{step}/")
            barrier.wait()
            return browser.post(f"/r/{token}/process/{step}/", page_answers(process), form.csrf).status
        return job

    jobs = []
    for token in cycle["tokens"]:
        jobs += [tab(token, 1, first), tab(token, 2, second)]
    statuses = all_at_once(jobs)

    assert statuses == [302] * len(jobs), server.logs()[-3000:]
    stored = seed(url, "report", "--cycle", str(cycle["cycle"]))
    # One response per rater (none missing, none doubled), holding both pages' answers.
    assert stored["per_rater"] == [1] * 10
    assert stored["answers"] == [len(first["items"]) + len(second["items"])] * 10


def test_sending_twice_at_once_counts_one_response(live):
    url, server = live
    cycle = seed(url, "cycle", "--raters", "10", "--answered", "all")

    def click(token):
        def job(barrier):
            browser = Visitor(server.base)
            form = browser.get(f"/r/{token}/review/")
            barrier.wait()
            return browser.post(f"/r/{token}/review/", {}, form.csrf).status
        return job

    jobs = [click(token) for token in cycle["tokens"] for _ in range(2)]
    statuses = all_at_once(jobs)

    assert statuses == [302] * len(jobs), server.logs()[-3000:]
    stored = seed(url, "report", "--cycle", str(cycle["cycle"]))
    assert stored["per_rater"] == [1] * 10
    assert stored["submitted"] == 10

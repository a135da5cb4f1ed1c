"""The real worker process against a real database file: `flourish worker` runs a job;
SIGKILL half-way through leaves the job to be run again by the next worker, with nothing
partial (the probe writes its result only at the end), and it runs to completion once."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

TIMEOUT = 240  # generous: the machine is shared and Django starts slowly under load


@pytest.fixture(scope="module")
def env(tmp_path_factory):
    var = tmp_path_factory.mktemp("worker")
    environment = {
        **os.environ, "DATABASE_URL": f"sqlite:///{var / 'flourish.sqlite3'}", "FLOURISH_VAR_DIR": str(var),
        "JOBS_LEASE_SECONDS": "3", "TASKS_BACKEND": "database", "DEBUG": "true",
    }
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    flourish(environment, "migrate", "--noinput", "-v0")
    return environment | {"DB": str(var / "flourish.sqlite3")}


def flourish(env, *args, timeout=TIMEOUT) -> str:
    done = subprocess.run([sys.executable, "-m", "flourish", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout


def worker(env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flourish", "worker", "--interval", "0.2",
                             "--recover-every", "0.5", "-v0"], env=env)


def job_row(env, job_id) -> dict:
    with sqlite3.connect(env["DB"], timeout=30) as db:
        db.row_factory = sqlite3.Row
        row = db.execute("select status, progress, attempts, result, last_error from jobs_job where id = ?",
                         [job_id.replace("-", "")]).fetchone()
    return {**dict(row), "result": json.loads(row["result"])}


def wait_for(predicate, what: str, timeout=TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_runs_a_queued_job(env):
    job_id = flourish(env, "jobs", "probe").split()[0]
    process = worker(env)
    try:
        wait_for(lambda: job_row(env, job_id)["status"] == "done", "the probe to finish")
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    assert job_row(env, job_id)["attempts"] == 1


def test_sigkill_mid_job_leaves_it_to_be_retried_with_nothing_partial(env):
    job_id = flourish(env, "jobs", "probe", "--seconds", "20").split()[0]
    first = worker(env)
    try:
        wait_for(lambda: job_row(env, job_id)["progress"] >= 10, "the probe to be half-way")
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    killed = job_row(env, job_id)
    assert killed["status"] == "running" and killed["attempts"] == 1
    assert killed["result"] == {}  # nothing partial: the result is written only at the end

    second = worker(env)
    try:
        row = wait_for(lambda: (r := job_row(env, job_id))["status"] == "done" and r, "the retried probe", )
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    assert row["attempts"] == 2 and row["result"]["attempt"] == 2
    assert row["progress"] == 100 and row["last_error"] == ""


REDIS_URL = os.environ.get("FLOURISH_TEST_RQ_URL", "redis://127.0.0.1:6379/6")


def test_with_rq_on_redis_the_worker_runs_the_same_jobs(env):
    """The production queue: RQ on a real Redis (database 6 of the machine's server, which
    .ci/run starts), carrying the same job through django-tasks-rq."""
    import redis

    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()  # this test's own Redis database
    rq_env = {**env, "TASKS_BACKEND": "rq", "REDIS_URL": REDIS_URL}
    try:
        job_id = flourish(rq_env, "jobs", "probe").split()[0]
        assert job_row(env, job_id)["status"] == "queued"
        flourish(rq_env, "worker", "--batch", "-v0")
        row = job_row(env, job_id)
        assert row["status"] == "done" and row["attempts"] == 1 and row["result"]["marker"]
    finally:
        connection.flushdb()

"""The real server stack for tests: a migrated database of its own, `flourish serve`
(gunicorn) in a subprocess on a free loopback port, and a small HTTP visitor with its own
cookies that fetches each form first for its CSRF token, as a browser does.

pytest-django's test database lives inside the pytest process (in memory, for SQLite), so
a gunicorn subprocess cannot reach it. These helpers migrate a real SQLite file, or a
dedicated PostgreSQL database, and build data in subprocesses (`seed.py`).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environment(database_url: str, **extra: str) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "DJANGO_"))}
    env.update({
        "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "flourish.settings",
        # Production mode, except that the test speaks plain HTTP on loopback.
        "DEBUG": "false", "SECRET_KEY": "live-stack-tests-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "false",
        # Every visitor comes from 127.0.0.1; these tests are about the database, not limits.
        "RATER_LINK_READ_RATE": "100000/m", "RATER_LINK_WRITE_RATE": "100000/m",
        "FLOURISH_VAR_DIR": env_var_dir(database_url),
    })
    env.update(extra)
    return env


def env_var_dir(database_url: str) -> str:
    if database_url.startswith("sqlite:///"):
        return str(Path(database_url.removeprefix("sqlite:///")).parent)
    return os.environ.get("FLOURISH_VAR_DIR", str(ROOT / "var"))


def flourish(database_url: str, *args: str, env: dict | None = None, timeout: float = 300) -> str:
    """Run `flourish ARGS` against the live database; its standard output."""
    done = subprocess.run([sys.executable, "-m", "flourish", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env or environment(database_url), timeout=timeout)
    assert done.returncode == 0, f"flourish {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def seed(database_url: str, *args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "flourish.ops.tests.seed", *args], cwd=ROOT, capture_output=True,
                          text=True, env=environment(database_url), timeout=300)
    assert done.returncode == 0, f"seed {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout.strip().splitlines()[-1])


def sqlite_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'live.sqlite3'}"
    flourish(url, "migrate", "--noinput", "-v0")
    return url


def postgres_url() -> str | None:
    """The CI's PostgreSQL pass sets DATABASE_URL=postgres://…; the live database is a
    sibling of the configured one (`<name>_live`), dropped and made anew."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def postgres_database(url: str, suffix: str = "_live") -> str:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/") + suffix
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    live = urlunsplit(parts._replace(path="/" + name))
    flourish(live, "migrate", "--noinput", "-v0")
    return live


def database_params():
    """SQLite always; PostgreSQL in the PostgreSQL pass (DATABASE_URL=postgres://…, as
    .ci/run's second `make test` does)."""
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.skipif(
            postgres_url() is None,
            reason="PostgreSQL variant: runs when DATABASE_URL is postgres:// (CI's 2nd pass)")),
    ]


@dataclass
class Server:
    base: str
    process: subprocess.Popen
    access_log: Path
    error_log: Path

    def logs(self) -> str:
        return self.access_log.read_text() + self.error_log.read_text()


def start_server(database_url: str, folder: Path, workers: int = 4, extra_env: dict | None = None) -> Server:
    port = free_port()
    access_log, error_log = folder / f"access-{port}.log", folder / f"server-{port}.log"
    env = environment(database_url, **(extra_env or {}))
    process = subprocess.Popen(
        [sys.executable, "-m", "flourish", "serve", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--access-log", str(access_log)],
        cwd=ROOT, env=env, stdout=error_log.open("w"), stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}:\n{error_log.read_text()}")
        try:
            if Visitor(base).get("/healthz").status == 200:
                return Server(base, process, access_log, error_log)
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise AssertionError(f"gunicorn did not answer within 60 s:\n{error_log.read_text()}")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@dataclass
class Reply:
    status: int
    body: str
    headers: dict

    @property
    def csrf(self) -> str:
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.body)
        assert found, f"no CSRF token in the page (status {self.status})"
        return found.group(1)


@dataclass
class Visitor:
    """One browser: its own cookies, no redirects followed."""

    base: str
    cookies: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    timeout: float = 60

    def request(self, method: str, path: str, data: dict | None = None) -> Reply:
        parts = urlsplit(self.base)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=self.timeout)
        headers = {"Connection": "close", **self.headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Reply(response.status, text, dict(response.headers))
        finally:
            connection.close()

    def get(self, path: str) -> Reply:
        return self.request("GET", path)

    def post(self, path: str, data: dict, csrf: str) -> Reply:
        return self.request("POST", path, {**data, "csrfmiddlewaretoken": csrf})


def page_answers(process: dict, value: int = 4) -> dict:
    return {**{f"item-{item}": str(value) for item in process["items"]}, "comment": "", "continue": ""}

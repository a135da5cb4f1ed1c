"""`flourish check --deploy` refuses a production configuration that would print mail
(password-reset links, rater invitations) to the log; `make check-deploy` passes."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 30 + "a-long-random-production-secret-value-42",
              "ALLOWED_HOSTS": "flourish.example.org"}


def check_deploy(**env):
    environment = {k: v for k, v in os.environ.items()
                   if k not in {"SECRET_KEY", "DEBUG", "EMAIL_HOST", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "flourish", "check", "--deploy", "--fail-level", "WARNING"],
                          capture_output=True, text=True, env=environment, check=False, cwd=ROOT)


def test_production_without_a_mail_server_fails_the_deployment_check():
    result = check_deploy(**PRODUCTION)
    assert result.returncode != 0
    assert "flourish.E001" in result.stderr
    assert "EMAIL_HOST is not set" in result.stderr


def test_production_with_a_mail_server_passes_the_deployment_check():
    result = check_deploy(**PRODUCTION, EMAIL_HOST="smtp.example.org")
    assert result.returncode == 0, result.stderr
    assert "flourish.E001" not in result.stderr + result.stdout


def test_local_development_may_print_mail_to_the_console():
    result = subprocess.run([sys.executable, "-m", "flourish", "check", "--deploy"], capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k not in {"DEBUG", "EMAIL_HOST"}}, cwd=ROOT)
    assert "flourish.E001" not in result.stderr + result.stdout


def test_make_check_deploy_passes():
    """The Makefile target (without its install step: the tests run inside the venv)."""
    result = subprocess.run(["make", "--no-print-directory", "-o", "install", "check-deploy"],
                            capture_output=True, text=True, cwd=ROOT,
                            env={k: v for k, v in os.environ.items() if k not in {"DEBUG", "EMAIL_HOST"}})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_benchmark_floor_view_fails_the_deployment_check():
    result = check_deploy(**PRODUCTION, EMAIL_HOST="smtp.example.org", FLOURISH_BENCH_FLOOR="1")
    assert result.returncode != 0 and "flourish.E002" in result.stderr


def test_the_benchmark_floor_view_is_not_routed_unless_benchmarking(client, db):
    from flourish.ops.models import FloorRow

    assert client.post("/bench/floor").status_code == 404
    assert not FloorRow.objects.exists()

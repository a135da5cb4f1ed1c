"""`flourish serve` runs gunicorn with the masking logger, a bind and workers from the
options or the environment, and the trusted proxies passed on."""

import os
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def printed(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in {"BIND", "PORT", "WEB_CONCURRENCY",
                                                                     "TRUSTED_PROXIES", "ACCESS_LOG"}}
    environment.update(env)
    done = subprocess.run([sys.executable, "-m", "flourish", "serve", "--print", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return shlex.split(done.stdout)


def option(argv, name):
    return argv[argv.index(name) + 1]


def test_serve_runs_gunicorn_with_the_masking_logger_on_loopback_by_default():
    argv = printed()
    assert argv[1:4] == ["-m", "gunicorn", "flourish.wsgi:application"]
    assert option(argv, "--bind") == "127.0.0.1:8000"
    assert option(argv, "--logger-class") == "flourish.ops.gunicorn.MaskingLogger"
    assert "--forwarded-allow-ips" not in argv


def test_serve_takes_bind_and_workers_from_the_environment_or_the_options():
    assert option(printed(PORT="5000"), "--bind") == "0.0.0.0:5000"
    assert option(printed(BIND="unix:/run/flourish.sock", PORT="5000"), "--bind") == "unix:/run/flourish.sock"
    argv = printed("--bind", "127.0.0.1:9000", "--workers", "3", BIND="0.0.0.0:1")
    assert option(argv, "--bind") == "127.0.0.1:9000" and option(argv, "--workers") == "3"
    assert option(printed(WEB_CONCURRENCY="6"), "--workers") == "6"


def test_serve_passes_trusted_proxies_and_extra_gunicorn_options():
    argv = printed("--", "--keep-alive", "5", TRUSTED_PROXIES="10.0.0.1,10.1.0.0/16")
    assert option(argv, "--forwarded-allow-ips") == "10.0.0.1,10.1.0.0/16"
    assert argv[-2:] == ["--keep-alive", "5"]


def test_serve_refuses_no_workers():
    done = subprocess.run([sys.executable, "-m", "flourish", "serve", "--print", "--workers", "0"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode != 0 and "--workers must be at least 1, not 0" in done.stderr

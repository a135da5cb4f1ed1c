"""`flourish serve`: the production web server (gunicorn) with Flourish's defaults.

    flourish serve                          # 127.0.0.1:8000, or $BIND, or 0.0.0.0:$PORT
    flourish serve --bind 0.0.0.0:8000 --workers 4
    flourish serve -- --keep-alive 5        # anything after -- goes to gunicorn as is

The access log goes through `flourish.ops.gunicorn.MaskingLogger`, so the token of a
rater's link never reaches it (nor the error log)."""

import argparse
import os
import shlex
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ACCESS_LOG_FORMAT = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'


def default_bind() -> str:
    if os.environ.get("BIND"):
        return os.environ["BIND"]
    if os.environ.get("PORT"):  # a Procfile platform tells us the port
        return f"0.0.0.0:{os.environ['PORT']}"
    return "127.0.0.1:8000"


def default_workers() -> int:
    if os.environ.get("WEB_CONCURRENCY"):
        return int(os.environ["WEB_CONCURRENCY"])
    # gunicorn's rule of thumb, capped: each worker holds a database connection.
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def gunicorn_argv(bind: str, workers: int, access_log: str, timeout: int, extra: list[str]) -> list[str]:
    argv = [
        sys.executable, "-m", "gunicorn", "flourish.wsgi:application",
        "--bind", bind,
        "--workers", str(workers),
        # Closing a cycle or building a PDF may take a few seconds; 60 s is far past that.
        "--timeout", str(timeout),
        "--graceful-timeout", "30",
        "--logger-class", "flourish.ops.gunicorn.MaskingLogger",
        "--access-logfile", access_log,
        "--access-logformat", ACCESS_LOG_FORMAT,
        "--error-logfile", "-",
        # A worker is recycled now and then, so a slow leak never takes the site down.
        "--max-requests", "2000", "--max-requests-jitter", "200",
    ]
    if settings.TRUSTED_PROXIES:
        # gunicorn believes X-Forwarded-Proto (https) from the same proxies Django trusts.
        argv += ["--forwarded-allow-ips", ",".join(settings.TRUSTED_PROXIES)]
    return argv + extra


class Command(BaseCommand):
    help = "Serve Flourish with gunicorn (production web server). Arguments after -- go to gunicorn."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None,
                            help="host:port or unix:/path (default: $BIND, else 0.0.0.0:$PORT, else 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=None,
                            help="worker processes (default: $WEB_CONCURRENCY, else 2 × CPUs + 1, at most 8)")
        parser.add_argument("--access-log", default=os.environ.get("ACCESS_LOG", "-"),
                            help="access log file, '-' for standard output (default: $ACCESS_LOG or -)")
        parser.add_argument("--timeout", type=int, default=60, help="seconds before a stuck worker is restarted")
        parser.add_argument("--print", action="store_true", dest="print_only",
                            help="print the gunicorn command instead of running it")
        parser.add_argument("gunicorn_args", nargs=argparse.REMAINDER, help="-- then extra gunicorn options")

    def handle(self, *args, bind, workers, access_log, timeout, print_only, gunicorn_args, **options):
        extra = gunicorn_args[1:] if gunicorn_args[:1] == ["--"] else gunicorn_args
        workers = default_workers() if workers is None else workers
        if workers < 1:
            raise CommandError(f"--workers must be at least 1, not {workers}")
        argv = gunicorn_argv(bind or default_bind(), workers, access_log, timeout, extra)
        if print_only:
            self.stdout.write(shlex.join(argv))
            return
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)

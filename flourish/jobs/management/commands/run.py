"""`flourish run`: the web server and a worker together, for one machine (what `make run`
does). Ctrl-C stops both; if either stops, the other is stopped too, so nothing is left
running unseen."""

import os
import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from flourish.ops.local import serving


class Command(BaseCommand):
    help = "Run the development web server and a job worker beside it; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000",
                            help="PORT or ADDRESS:PORT; 0.0.0.0:PORT to answer from a phone on your network")

    def handle(self, *, addrport, **options):
        try:
            where = serving(addrport, os.environ)
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        for note in where.notes:
            self.stdout.write(note)
        flourish = [sys.executable, "-m", "flourish"]
        # Both children build links from SITE_URL: the server for invitations it queues,
        # the worker for the mail it renders later.
        environment = {**os.environ, **where.environment}
        # Own process groups: Ctrl-C reaches only this command, which passes one SIGINT to
        # each (a worker given two stops its job half-way instead of finishing it).
        processes = [
            subprocess.Popen([*flourish, "worker"], start_new_session=True, env=environment),
            subprocess.Popen([*flourish, "runserver", where.addrport], start_new_session=True, env=environment),
        ]
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        try:
            while not stopping and all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in processes:
            try:
                process.wait(timeout=60)  # a worker finishes the job it is running
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

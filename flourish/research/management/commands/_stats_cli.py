"""Runs a verb of the pure statistics command line (flourish.stats.cli) as a Flourish
command, keeping its exit status (0 ok, 1 bad input, 2 a fit that did not converge)."""

import sys

from django.core.management.base import BaseCommand

from flourish.stats import cli


class StatsCommand(BaseCommand):
    verb = ""

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parser.add_argument("args", nargs="*")
        return parser

    def run_from_argv(self, argv):
        # The statistics CLI parses its own options (see `flourish VERB --help`).
        code = cli.main([self.verb, *argv[2:]], sys.stdout, sys.stderr)
        sys.exit(code)

    def handle(self, *args, **options):  # used by call_command
        code = cli.main([self.verb, *args], self.stdout._out, self.stderr._out)
        if code:
            sys.exit(code)

"""The `flourish` command: every Django management command, plus Flourish's own verbs
(framework, demo, ...), which are management commands too.

`flourish cfa` and `flourish reliability` are pure statistics on a CSV file: they run the
statistics command line directly, without starting Django (which would load every app and
cost more than the analysis).  `manage.py cfa` still reaches the same code through the
management command in flourish/research.
"""

import os
import sys

PURE_VERBS = ("cfa", "reliability")


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] in PURE_VERBS:
        from flourish.stats import cli

        sys.exit(cli.main(args, sys.stdout, sys.stderr))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flourish.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["flourish", *args])


if __name__ == "__main__":
    main()

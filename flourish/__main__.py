"""The `flourish` command: every Django management command, plus Flourish's own verbs
(framework, demo, ...), which are management commands too."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "flourish.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["flourish", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()

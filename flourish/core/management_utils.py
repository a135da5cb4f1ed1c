"""Shared helpers for Flourish's command-line verbs (management commands)."""

import sys
from pathlib import Path

from django.core.management.base import CommandError


class Error(CommandError):
    """Django prints a command error as "<class name>: <message>", so this reads "Error: …"."""


def fail(message: str):
    """Stop a command with the message on stderr and exit status 1 (no traceback)."""
    raise Error(message, returncode=1)


def write_output(data: str | bytes, output: str | None, stdout) -> None:
    """Write to --output FILE when given, otherwise to standard output."""
    if output:
        mode = "wb" if isinstance(data, bytes) else "w"
        try:
            with open(Path(output), mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as fh:
                fh.write(data)
        except OSError as error:
            fail(f"{output}: cannot write: {error.strerror}")
    elif isinstance(data, bytes):
        stdout.flush()
        sys.stdout.buffer.write(data)
    else:
        stdout.write(data, ending="" if data.endswith("\n") else "\n")


def check_choice(value: str, choices, option: str = "--format") -> str:
    """The value of `option` if it is one of `choices`; else stop, naming them."""
    if value not in choices:
        fail(f"unknown {option} {value!r}: choose one of {', '.join(choices)}")
    return value


def object_id(value: str, argument: str, noun: str) -> int:
    """A positional id argument (`argument`, e.g. "CYCLE") as a whole number; else stop, saying
    what was expected ("a cycle id")."""
    try:
        return int(value)
    except ValueError:
        fail(f"{argument} must be {noun} id (a whole number), got {value!r}")

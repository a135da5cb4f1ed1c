"""Errors raised by the statistics engine.

Every problem caused by the input (model syntax, data, identification,
convergence) is raised as :class:`StatsError` with a message written for a
researcher, so front ends can print it without a traceback.
"""


class StatsError(Exception):
    """A problem with the model or the data, with a human-readable message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.message

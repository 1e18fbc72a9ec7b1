"""Errors a user can cause, each mapped to exit code 2 by the CLI.

Anything that is the user's mistake (a file that does not parse, an unknown
term, a missing Java runtime) raises an :class:`RsfError`; the CLI prints its
message without a traceback. Everything else is a bug and keeps its traceback.
"""

from __future__ import annotations

from pathlib import Path

#: exit code of an unexpected exception (a bug): not 1, which CI reads as "findings" (sysexits' EX_SOFTWARE)
CRASH_EXIT = 70


class RsfError(Exception):
    """Base class for errors caused by input or environment, not by a bug."""

    exit_code = 2


class InputSyntaxError(RsfError):
    """An RDF file that does not parse."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.detail = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self):  # type: ignore[no-untyped-def]
        # keep the error intact when it crosses from a worker process
        return (type(self), (self.path, self.detail, self.line))


class InputError(RsfError):
    """Input that cannot be validated: nothing found, or refused for safety."""


class OutputError(RsfError):
    """An output file that cannot be written where the user asked."""


class ReaderGone(OutputError):
    """Standard output's reader closed it before the output was all written (``rsf ... | head``).

    rsf then stops silently with 141 (128 + SIGPIPE), the status of a Unix tool
    that SIGPIPE stops, so that a truncated output is never read as success.
    """

    exit_code = 141


class ResourceError(RsfError):
    """A data file (ontology module, shapes, query) is missing or unusable."""


class ReasonerUnavailableError(RsfError):
    """HermiT could not be run, typically because no Java runtime is installed."""


class UsageError(RsfError):
    """An option value the command cannot use, such as an unknown role."""


class UnknownTermError(UsageError):
    """A term given on the command line matches nothing in the ontology, or more than one term."""

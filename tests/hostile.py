"""Running rsf in-process on hostile input, watching for what it must never do.

:func:`run_rsf_inprocess` runs one command line through :func:`responsible_sharing.cli.run`
(the code ``rsf`` runs) with click's isolated standard streams, and returns
the exit code, both outputs, the time taken and every forbidden access seen
meanwhile: a network connection or name look-up, an ``urllib`` request, or
an open of a watched path (a planted secret file). Accesses are seen through
Python's audit hooks (PEP 578), so they are recorded even when the code under
test catches the error that a refusal would raise.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from click.testing import CliRunner

from responsible_sharing.cli import run

_NETWORK_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"}


@dataclass
class Watch:
    """What the audit hook records while :attr:`active`."""

    active: bool = False
    watched: set[str] = field(default_factory=set)
    seen: list[str] = field(default_factory=list)

    def __call__(self, event: str, args: tuple) -> None:
        if not self.active:
            return
        if event in _NETWORK_EVENTS:
            self.seen.append(f"{event} {args[:2]!r}")
        elif event == "open" and args and isinstance(args[0], (str, bytes, Path)):
            path = str(Path(os.fsdecode(args[0]) if isinstance(args[0], bytes) else args[0]))
            if any(path.startswith(w) for w in self.watched):
                self.seen.append(f"open {path}")


WATCH = Watch()
sys.addaudithook(WATCH)  # an audit hook cannot be removed; it does nothing while WATCH is inactive


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str
    seconds: float
    accesses: list[str]

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def run_rsf_inprocess(*args: str, stdin: bytes | BinaryIO = b"", watched: tuple[str, ...] = ()) -> Outcome:
    """Run ``rsf ARGS`` in this process; the forbidden accesses it made are in ``accesses``."""
    WATCH.watched = set(watched)
    WATCH.seen = []
    with CliRunner().isolation(input=stdin) as (out, err, _):
        WATCH.active = True
        started = time.monotonic()
        try:
            code = run(list(args))
        finally:
            seconds = time.monotonic() - started
            WATCH.active = False
    return Outcome(code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"),
                   seconds, list(WATCH.seen))

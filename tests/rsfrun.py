"""Run the installed `rsf` command as a user would, in a subprocess."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RSF = str(Path(sys.executable).with_name("rsf"))


def run_rsf(*args: str, cwd: Path | None = None, env: dict | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([RSF, *args], capture_output=True, text=True, cwd=cwd, env=env, input=stdin, timeout=300)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

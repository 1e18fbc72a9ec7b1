"""Writing output files so that a failure never leaves half a file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    write_atomic_with(path, lambda handle: handle.write(data))


def write_atomic_with(path: Path, writer: Callable[[BinaryIO], object]) -> None:
    """Let ``writer`` write to a temporary file beside ``path``, then rename it into place.

    If ``writer`` fails the temporary file is removed and ``path`` is left as it was.
    """
    directory = path.resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise OutputError(f"{path}: cannot write the output here ({err.strerror or err}); "
                          + _advice(directory)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the mode a plain open() would
        os.replace(tmp, path)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write the output ({err.strerror or err}); nothing was written") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _advice(directory: Path) -> str:
    if not directory.is_dir():
        return f"the folder {directory} does not exist: create it first (mkdir -p)"
    return f"check that you may write to {directory}"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current

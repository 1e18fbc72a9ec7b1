"""Writing output so that a failure never leaves half a file behind, and is never silent.

A regular file is written to a hidden temporary file beside it and renamed
into place; if anything stops the writing (an error, Ctrl-C, SIGTERM) the
temporary file is removed and the old file is left as it was. Standard output
cannot be taken back: a failure there is an error naming it, and a reader that
stopped reading (``rsf ... | head``) ends rsf as it ends other Unix tools.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from .errors import OutputError, ReaderGone

Writer = Callable[[BinaryIO], object]

#: ``-o -`` means standard output
STDOUT = "-"
#: the name of standard input among the inputs
STDIN = "-"
#: characters of the output's name kept in its temporary file's name, so that the
#: temporary name (``.NAME.XXXXXXXX.tmp``) is never too long where the output's name is not
_TEMP_NAME_CHARS = 40
#: what to do when standard output cannot take the output
_ELSEWHERE = "redirect it to a file (> FILE), or give -o FILE where the command has it"


def emit(data: bytes, target: Path | None) -> None:
    """Write ``data`` to ``target``, or to standard output when ``target`` is None or ``-``."""
    write_output(target, lambda handle: handle.write(data))


def write_output(target: Path | None, writer: Writer) -> None:
    """Let ``writer`` write the output to ``target``, or to standard output when ``target`` is None or ``-``.

    A regular file, new or old, is written atomically (:func:`write_atomic_with`).
    The file standard output already goes to (``-o /dev/stdout``) is written
    as standard output, so that a redirection's file is never replaced behind
    the shell's back. A device or a named pipe (``/dev/null``, a FIFO) is
    written in place: renaming over it would replace it.
    """
    check_output(target)
    if target is None or _is_standard_output(target):
        _write_standard_output(writer)
    elif _is_device_or_pipe(target):
        _write_in_place(target, writer)
    else:
        write_atomic_with(target, writer)


def stdout_is_terminal() -> bool:
    """Whether standard output is open and a terminal (for colours, or to refuse binary output)."""
    return sys.stdout is not None and sys.stdout.isatty()


def check_output(target: Path | None) -> None:
    """Raise :class:`OutputError` if ``target`` cannot be written, before any work is done for it."""
    if target is None or str(target) == STDOUT:
        if sys.stdout is None:
            raise OutputError(f"standard output is closed: {_ELSEWHERE}")
        return
    if os.path.isdir(target):
        empty = " (an empty -o names the current folder)" if str(target) == "." else ""
        raise OutputError(f"{target}: is a folder{empty}; give -o the name of a file to write")
    folder = target.resolve().parent
    if not os.path.isdir(folder):
        raise OutputError(f"{target}: cannot write the output here; " + _advice(errno.ENOENT, folder))
    longest = os.pathconf(folder, "PC_NAME_MAX")
    if len(os.fsencode(target.resolve().name)) > longest:
        raise OutputError(f"{target}: cannot write the output here; " + _advice(errno.ENAMETOOLONG, folder))


def refuse_overwriting_an_input(output: Path | None, files: list[str] | list[Path]) -> None:
    """Raise :class:`OutputError` if ``-o`` names one of the inputs: the output would replace the user's file.

    The same file is the same inode, whatever the name: a symbolic or hard link
    to an input, or an input found in a folder, is refused too.
    """
    if output is None or str(output) == STDOUT:
        return
    try:
        written = os.stat(output)
    except OSError:  # nothing there yet, so not an input
        return
    for name in files:
        if str(name) != STDIN and os.path.exists(name) and os.path.samestat(os.stat(name), written):
            raise OutputError(f"-o {output} is one of the input files ({name}); the output would replace it. "
                              "Write it elsewhere.")


def write_atomic_with(path: Path, writer: Writer) -> None:
    """Let ``writer`` write to a temporary file beside ``path``, then rename it into place.

    A symbolic link is followed: the file it points to is replaced and the
    link kept. If ``writer`` fails, or anything interrupts it, the temporary
    file is removed and ``path`` is left as it was.
    """
    target = path.resolve()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:_TEMP_NAME_CHARS]}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise OutputError(f"{path}: cannot write the output here ({err.strerror or err}); "
                          + _advice(err.errno, target.parent)) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            writer(handle)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the mode a plain open() would
        os.replace(tmp, target)
    except OSError as err:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"{path}: cannot write the output ({err.strerror or err}); nothing was written; "
                          + _advice(err.errno, target.parent)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _is_standard_output(target: Path) -> bool:
    """``-``, or the very file (tty, pipe, redirection) that standard output goes to."""
    if str(target) == STDOUT:
        return True
    try:
        return os.path.samestat(os.stat(target), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):  # no such file yet; standard output closed or not a descriptor
        return False


def _is_device_or_pipe(target: Path) -> bool:
    try:
        return not stat.S_ISREG(os.stat(target).st_mode)
    except OSError:  # nothing there yet
        return False


def _write_standard_output(writer: Writer) -> None:
    stream = sys.stdout
    try:
        stream.flush()
        writer(stream.buffer)
        stream.flush()
    except BrokenPipeError:
        _discard_standard_output()
        raise ReaderGone("standard output: the reader closed it before the output was all written") from None
    except OSError as err:
        _discard_standard_output()
        raise OutputError(f"standard output: cannot write ({err.strerror or err}); the output is incomplete: "
                          + _ELSEWHERE) from None


def _discard_standard_output() -> None:
    """Point standard output at the null device, so that flushing it at exit does not fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # not a file descriptor (an in-process run): nothing is flushed at exit
        pass


def _write_in_place(target: Path, writer: Writer) -> None:
    """Write to a device or a named pipe, which cannot be replaced by a rename."""
    try:
        with target.open("wb") as handle:
            writer(handle)
    except OSError as err:
        raise OutputError(f"{target}: cannot write the output ({err.strerror or err}); "
                          + _advice(err.errno, target.parent)) from None


def _advice(code: int | None, directory: Path) -> str:
    """What to do about an error writing into ``directory``."""
    if code == errno.ENAMETOOLONG:
        return f"the name is too long for {directory}: choose a shorter one"
    if code in (errno.ENOSPC, errno.EDQUOT):
        return f"free some space in {directory} or write elsewhere"
    if not os.path.isdir(directory):
        return f"the folder {directory} does not exist: create it first (mkdir -p)"
    return f"check that you may write to {directory}"


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current

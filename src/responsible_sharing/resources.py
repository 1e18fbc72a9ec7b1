"""Where the shipped data files live.

The ontology, shapes and queries sit at the top of the source tree, where
ontologists edit them, and are copied into the wheel under
``responsible_sharing/data``. They are always located through
:mod:`importlib.resources`, never relative to the current directory, so an
installed ``rsf`` works from anywhere.
"""

from __future__ import annotations

from contextlib import contextmanager
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Iterator

from .errors import ResourceError

_KINDS = ("ontology", "shapes", "queries")


def data_dir(kind: str) -> Traversable:
    """The shipped folder of one kind of data file: ontology, shapes or queries."""
    if kind not in _KINDS:
        raise ValueError(f"unknown data kind {kind!r}")
    folder = resources.files("responsible_sharing") / "data" / kind
    if not folder.is_dir():
        raise ResourceError(
            f"the package has no {kind}/ folder: the installation is incomplete. "
            "Reinstall responsible-sharing (pip install --force-reinstall responsible-sharing)."
        )
    return folder


@contextmanager
def shipped_path(kind: str) -> Iterator[Path]:
    """A real filesystem path to a shipped folder, for libraries that need one."""
    with resources.as_file(data_dir(kind)) as path:
        yield Path(path)


def working_copy(root: Path) -> dict[str, Path]:
    """The ontology, shapes and queries folders of a working copy laid out as the repository is.

    Raises :class:`ResourceError` naming every folder that is missing.
    """
    folders = {kind: root / kind for kind in _KINDS}
    missing = [f"{kind}/" for kind, folder in folders.items() if not folder.is_dir()]
    if missing:
        raise ResourceError(f"{root}: not a working copy of the model: it has no {' or '.join(missing)} "
                            "(a data root holds ontology/, shapes/ and queries/, as the repository does)")
    return folders

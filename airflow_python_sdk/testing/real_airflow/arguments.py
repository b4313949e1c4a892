"""The arguments of a start, checked before anything is installed: a DAG folder that does not
exist, or a venvs directory that cannot be made, is found in a moment, not after minutes of
installing Airflow (or as a traceback from deep inside the install)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from .processes import CommandFailed
from .versions import VENVS_VARIABLE

__all__ = ["BadArgument", "checked_dag_folders", "usable_venvs_dir"]


class BadArgument(CommandFailed):
    """An argument of the start cannot be used; nothing was installed or started."""


def checked_dag_folders(folders: Sequence[Path], option: Optional[str] = None
                        ) -> tuple[Path, ...]:
    """The DAG folders, resolved; `BadArgument` for one that is missing or no folder.
    `option` is how the user gave them (`--dags`), for the message."""
    named = option or "DAG folder"
    for folder in folders:
        path = Path(folder)
        if not path.exists():
            raise BadArgument(f"{named} {folder}: no such folder")
        if not path.is_dir():
            raise BadArgument(f"{named} {folder}: not a folder (give the folder holding the "
                              "DAG files)")
    return tuple(Path(folder).resolve() for folder in folders)


def usable_venvs_dir(path: Path) -> Path:
    """`path`, made if missing; `BadArgument` in one line when it cannot be (a file on its way,
    no permission)."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadArgument(
            f"cannot make the venvs directory {path}: {error.strerror or error} (--venvs, "
            f"--airflow-venvs or ${VENVS_VARIABLE} set it)") from None
    return path

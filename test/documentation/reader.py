"""A Python block run in this process as its reader's script would run: their environment,
directory and import path, a namespace of its own, what it prints."""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path
from typing import Iterator


class BlockFailed(AssertionError):
    """A block did not run as printed; says which and how."""


@contextlib.contextmanager
def as_reader(env: dict[str, str], cwd: Path) -> Iterator[None]:
    """This process's environment, directory and import path as the reader's shell has them,
    while a block runs in it; modules imported from `cwd` (a page's `myproject`) are forgotten
    after."""
    saved_env, saved_cwd, saved_path = dict(os.environ), os.getcwd(), list(sys.path)
    modules = set(sys.modules)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.path.insert(0, str(cwd))
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_env)
        os.chdir(saved_cwd)
        sys.path[:] = saved_path
        for name in set(sys.modules) - modules:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if module_file.startswith(str(cwd)):
                del sys.modules[name]


def run_python(source: str, where: str) -> str:
    """Run a Python block as a script (`__main__`, a namespace of its own: it must import all it
    uses); what it printed. BlockFailed, with what it printed, if it raised or exited."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        try:
            exec(compile(source, where, "exec"), {"__name__": "__main__"})
        except (Exception, SystemExit) as error:
            raise BlockFailed(f"{where}: the block raised {type(error).__name__}: {error}\n"
                              f"it printed:\n{printed.getvalue()}") from error
    return printed.getvalue()

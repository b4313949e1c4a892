"""Install a pinned Airflow into its own virtual environment, once, under a lock.

Idempotent: a venv whose stamp matches the constraints file and whose airflow imports is left
alone. The pinned constraints file keeps every transitive dependency at the tested version.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .processes import Cancelled, CommandFailed, is_cancelled, run_logged
from .versions import Venv

__all__ = ["DEFAULT_TIMEOUT_S", "RegistryUnreachable", "ensure_installed", "is_installed"]

STAMP_NAME = ".sdk-installed"
DEFAULT_TIMEOUT_S = 900.0
# Oldest Python each major version installs on (apache-airflow's Requires-Python); tested on 3.11.
PYTHON_NEEDED = {2: (3, 8), 3: (3, 10)}

# What pip writes when it cannot reach the index, the plainest words first: the first one found
# in its log goes into the message.
_NETWORK_PROBLEMS = (
    "Connection refused",
    "Temporary failure in name resolution",
    "Name or service not known",
    "Network is unreachable",
    "No route to host",
    "Read timed out",
    "ConnectTimeoutError",
    "ProxyError",
    "SSLError",
    "NewConnectionError",
    "Failed to establish a new connection",
)


class RegistryUnreachable(CommandFailed):
    """pip could not reach the package registry; the message is one line that says what to do."""


def _stamp_text(venv: Venv) -> str:
    # A changed constraints file means a different install, so it is part of the stamp.
    digest = hashlib.sha256(venv.target.constraints_file.read_bytes()).hexdigest()
    return f"apache-airflow=={venv.target.version} constraints-sha256={digest}\n"


def _imports_cleanly(venv: Venv) -> bool:
    """True when the venv's airflow imports and reports the pinned version."""
    if not venv.python_bin.exists():
        return False
    # Importing airflow writes a default config into AIRFLOW_HOME: keep that out of ~/airflow.
    with tempfile.TemporaryDirectory(prefix="airflow-import-check-") as home:
        env = {**os.environ, "AIRFLOW_HOME": home}
        check = "import airflow, sys; sys.exit(airflow.__version__ != sys.argv[1])"
        try:
            run_logged(
                [str(venv.python_bin), "-c", check, venv.target.version],
                env,
                Path(home),
                Path(home) / "import-check.log",
                timeout_s=120,
            )
        except Cancelled:
            raise
        except CommandFailed:
            return False
    return True


@contextmanager
def _install_lock(venv: Venv, timeout_s: float) -> Iterator[None]:
    """Two test runs at once must not build the same venv together; wait for the other."""
    deadline = time.monotonic() + timeout_s
    with open(venv.root / f"{venv.target.version}.lock", "w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if is_cancelled():
                    raise Cancelled("stopping") from None
                if time.monotonic() > deadline:
                    raise CommandFailed(
                        f"another process has been installing Airflow {venv.target.version} "
                        f"for over {timeout_s:.0f} s (lock {lock.name})"
                    ) from None
                time.sleep(0.5)
        yield  # the lock goes with the file's closing


def is_installed(venv: Venv) -> bool:
    stamp = venv.directory / STAMP_NAME
    try:
        if stamp.read_text() != _stamp_text(venv):
            return False
    except OSError:
        return False
    return _imports_cleanly(venv)


def _network_problem(log_path: Path) -> str:
    """What pip's log says kept the registry out of reach, or "" if nothing like that."""
    try:
        text = log_path.read_text(errors="replace")
    except OSError:
        return ""
    return next((problem for problem in _NETWORK_PROBLEMS if problem in text), "")


def _pip_install(venv: Venv, env: dict[str, str], log_path: Path, timeout_s: float) -> None:
    argv = [
        str(venv.python_bin), "-m", "pip", "install",
        "--disable-pip-version-check", "--no-input", "--progress-bar", "off",
        # pip's default of 5 retries with back-off takes minutes to say the registry is away.
        "--retries", "2",
        "-c", str(venv.target.constraints_file),
        f"apache-airflow=={venv.target.version}",
    ]  # fmt: skip
    try:
        run_logged(argv, env, venv.root, log_path, timeout_s=timeout_s)
    except Cancelled:
        raise
    except CommandFailed as failure:
        problem = _network_problem(log_path)
        if problem:
            raise RegistryUnreachable(
                f"cannot install apache-airflow=={venv.target.version}: the package registry "
                f"is out of reach ({problem}); connect once, or point --airflow-venvs or "
                f"$SDK_AIRFLOW_VENVS at venvs installed before (pip log: {log_path})"
            ) from failure
        raise


def ensure_installed(
    venv: Venv,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    say: Callable[[str], None] = print,
) -> float:
    """Install the version unless already there; return the seconds spent (0.0 if skipped)."""
    version = venv.target.version
    venv.root.mkdir(parents=True, exist_ok=True)
    with _install_lock(venv, timeout_s):
        if is_installed(venv):
            return 0.0  # whichever Python made it: Airflow runs in the venv's own
        # The venv is made with this interpreter; pip would only say "no matching distribution".
        if sys.version_info < PYTHON_NEEDED[venv.target.major]:
            needed = ".".join(map(str, PYTHON_NEEDED[venv.target.major]))
            raise CommandFailed(
                f"Airflow {version} needs Python {needed} or newer to be installed; this is "
                f"{sys.version.split()[0]} (a venv a newer Python installed is used as it is)"
            )
        started = time.monotonic()
        log_path = venv.root / f"{version}-install.log"
        log_path.write_text("")
        say(f"installing apache-airflow=={version} into {venv.directory} (log {log_path})")
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        run_logged(
            [sys.executable, "-m", "venv", "--clear", str(venv.directory)],
            env,
            venv.root,
            log_path,
            timeout_s=120,
        )
        remaining = max(60.0, timeout_s - (time.monotonic() - started))
        _pip_install(venv, env, log_path, remaining)
        if not _imports_cleanly(venv):
            raise CommandFailed(f"airflow {version} installed but does not import")
        (venv.directory / STAMP_NAME).write_text(_stamp_text(venv))
        elapsed = time.monotonic() - started
        say(f"installed apache-airflow=={version} in {elapsed:.0f} s")
        return elapsed

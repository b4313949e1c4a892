"""Install a pinned Airflow into its own virtual environment under `.airflow-venvs/<version>`.

Usage: python integration/real_airflow/install.py 2.10.5 [3.3.2 ...]

Idempotent: a version whose venv has a matching stamp and imports is left alone. The pinned
constraints file keeps every transitive dependency at the version that was tested.
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

if __package__ in (None, ""):
    # Run as a script: make `integration.real_airflow` importable from the repository root.
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from integration.real_airflow.processes import Cancelled, CommandFailed, is_cancelled, run_logged
from integration.real_airflow.versions import VENVS_DIR, AirflowVersion, lookup

STAMP_NAME = ".sdk-installed"
DEFAULT_TIMEOUT_S = 900.0


def _stamp_text(target: AirflowVersion) -> str:
    # A changed constraints file means a different install, so it is part of the stamp.
    digest = hashlib.sha256(target.constraints_file.read_bytes()).hexdigest()
    return f"apache-airflow=={target.version} constraints-sha256={digest}\n"


def _imports_cleanly(target: AirflowVersion) -> bool:
    """True when the venv's airflow imports and reports the pinned version."""
    if not target.python_bin.exists():
        return False
    # Importing airflow writes a default config into AIRFLOW_HOME: keep that out of ~/airflow.
    with tempfile.TemporaryDirectory(prefix="airflow-import-check-") as home:
        env = {**os.environ, "AIRFLOW_HOME": home}
        check = "import airflow, sys; sys.exit(airflow.__version__ != sys.argv[1])"
        try:
            run_logged(
                [str(target.python_bin), "-c", check, target.version],
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
def _install_lock(target: AirflowVersion, timeout_s: float) -> Iterator[None]:
    """Two test runs at once must not build the same venv together; wait for the other."""
    deadline = time.monotonic() + timeout_s
    with open(VENVS_DIR / f"{target.version}.lock", "w") as lock:
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if is_cancelled():
                    raise Cancelled("the harness is stopping") from None
                if time.monotonic() > deadline:
                    raise CommandFailed(
                        f"another process has been installing Airflow {target.version} "
                        f"for over {timeout_s:.0f} s (lock {lock.name})"
                    ) from None
                time.sleep(0.5)
        yield  # the lock goes with the file's closing


def is_installed(target: AirflowVersion) -> bool:
    stamp = target.venv_dir / STAMP_NAME
    try:
        if stamp.read_text() != _stamp_text(target):
            return False
    except OSError:
        return False
    return _imports_cleanly(target)


def ensure_installed(
    target: AirflowVersion,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    say: Callable[[str], None] = print,
) -> float:
    """Install the version unless already there; return the seconds spent (0.0 if skipped)."""
    VENVS_DIR.mkdir(parents=True, exist_ok=True)
    with _install_lock(target, timeout_s):
        if is_installed(target):
            return 0.0
        started = time.monotonic()
        log_path = VENVS_DIR / f"{target.version}-install.log"
        log_path.write_text("")
        say(f"installing apache-airflow=={target.version} into {target.venv_dir} (log {log_path})")
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        run_logged(
            [sys.executable, "-m", "venv", "--clear", str(target.venv_dir)],
            env,
            VENVS_DIR,
            log_path,
            timeout_s=120,
        )
        remaining = max(60.0, timeout_s - (time.monotonic() - started))
        run_logged(
            [
                str(target.python_bin),
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--progress-bar",
                "off",
                "-c",
                str(target.constraints_file),
                f"apache-airflow=={target.version}",
            ],
            env,
            VENVS_DIR,
            log_path,
            timeout_s=remaining,
        )
        if not _imports_cleanly(target):
            raise CommandFailed(f"airflow {target.version} installed but does not import")
        (target.venv_dir / STAMP_NAME).write_text(_stamp_text(target))
        elapsed = time.monotonic() - started
        say(f"installed apache-airflow=={target.version} in {elapsed:.0f} s")
        return elapsed


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for version in argv:
        target = lookup(version)
        if ensure_installed(target) == 0.0:
            print(f"apache-airflow=={target.version} already installed in {target.venv_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Run Airflow commands in their own sessions and stop them by process id.

Every command starts a new session (start_new_session=True), so its pid is also the id of its
process group and of its session. Airflow 2's task runner moves each task into a process group of
its own, so killing the group alone can leave a task behind; stopping therefore signals every
process whose session is the one we started.

Every process started here is registered until stopped, so `stop_everything` (Ctrl-C, exit) can
stop all of them at once, also installs and migrations still running in start-up threads.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Optional

__all__ = [
    "Cancelled",
    "CommandFailed",
    "is_cancelled",
    "kill_session_members",
    "processes_using_home",
    "run_logged",
    "session_members",
    "sessions_by_id",
    "start_background",
    "stop_everything",
    "stop_session",
    "tail",
]

LOG_TAIL_LINES = 40


class CommandFailed(RuntimeError):
    """An Airflow command exited non-zero or ran out of time; the message holds its log tail."""


class Cancelled(CommandFailed):
    """The harness is stopping everything, so nothing new starts."""


_live: set[subprocess.Popen[bytes]] = set()
_live_lock = threading.Lock()
_cancelled = threading.Event()


def is_cancelled() -> bool:
    return _cancelled.is_set()


def tail(path: Path, lines: int = LOG_TAIL_LINES) -> str:
    """The last lines of a log file, for error messages."""
    try:
        text = path.read_text(errors="replace")
    except OSError as exc:
        return f"<no log at {path}: {exc}>"
    return "\n".join(text.splitlines()[-lines:])


def start_background(
    argv: Sequence[str], env: Mapping[str, str], cwd: Path, log_path: Path
) -> subprocess.Popen[bytes]:
    """Start a long-running command with stdout and stderr going to log_path."""
    log_path.parent.mkdir(parents=True, exist_ok=True)
    # Under the lock, so stop_everything either sees this process or stops it being started.
    with open(log_path, "ab") as log, _live_lock:
        if _cancelled.is_set():
            raise Cancelled(f"the harness is stopping; {argv[0]} not started")
        proc = subprocess.Popen(
            list(argv),
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        _live.add(proc)
    return proc


def run_logged(
    argv: Sequence[str],
    env: Mapping[str, str],
    cwd: Path,
    log_path: Path,
    timeout_s: float,
    on_start: Optional[Callable[[int], None]] = None,
) -> None:
    """Run a command to its end within timeout_s; on failure raise with the tail of its log.

    on_start receives the command's pid (= its session id) as soon as it runs.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log:
        log.write(f"\n$ {' '.join(argv)}\n".encode())
    proc = start_background(argv, env, cwd, log_path)
    try:
        if on_start is not None:
            on_start(proc.pid)
        code = proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        stop_session(proc)
        raise CommandFailed(
            f"{' '.join(argv)} took longer than {timeout_s:.0f} s; log {log_path}:\n"
            + tail(log_path)
        ) from None
    finally:
        # Children the command left behind (none expected) must not outlive it.
        kill_session_members(proc.pid, signal.SIGKILL)
    if code != 0:
        raise CommandFailed(
            f"{' '.join(argv)} exited with {code}; log {log_path}:\n" + tail(log_path)
        )


def sessions_by_id() -> dict[int, list[int]]:
    """Pids of all live processes, by session id: one pass over /proc (Linux)."""
    sessions: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as stat_file:
                stat = stat_file.read()
        except OSError:
            continue  # the process ended while we looked
        # The command name (field 2) may contain spaces; fields after ')' are fixed.
        fields = stat[stat.rfind(b")") + 2 :].split()
        if fields[0] != b"Z":
            sessions.setdefault(int(fields[3]), []).append(int(entry))
    return sessions


def session_members(session_id: int) -> list[int]:
    """Pids of the live processes in a session."""
    return sessions_by_id().get(session_id, [])


def processes_using_home(airflow_home: Path) -> list[int]:
    """Pids whose environment says AIRFLOW_HOME=airflow_home: whatever one server started,
    even a process that left its session."""
    wanted = f"AIRFLOW_HOME={airflow_home}".encode()
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/environ", "rb") as environ:
                if wanted in environ.read().split(b"\0"):
                    found.append(int(entry))
        except OSError:
            continue  # ended meanwhile, or not ours to read
    return found


def kill_session_members(session_id: int, sig: signal.Signals) -> None:
    for pid in session_members(session_id):
        with contextlib.suppress(ProcessLookupError):  # it ended on its own meanwhile
            os.kill(pid, sig)


def stop_session(proc: subprocess.Popen[bytes], grace_s: float = 10.0) -> None:
    """Stop a command started here and everything in its session: TERM, then KILL after grace_s."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
    kill_session_members(proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if proc.poll() is not None and not session_members(proc.pid):
            break
        time.sleep(0.2)
    kill_session_members(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    # Still alive after SIGKILL only in a stuck kernel state; nothing more can be done then.
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=5)
    with _live_lock:
        _live.discard(proc)


def stop_everything(grace_s: float = 5.0) -> None:
    """Stop every process started here and start no more: for Ctrl-C and interpreter exit."""
    with _live_lock:
        _cancelled.set()
        procs = list(_live)
    # All get SIGTERM first, so their grace periods run at the same time.
    for proc in procs:
        kill_session_members(proc.pid, signal.SIGTERM)
    for proc in procs:
        stop_session(proc, grace_s)

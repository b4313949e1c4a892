"""Facts about the machine and interpreters a run was measured on, for the report."""

from __future__ import annotations

import os
import platform
import subprocess
import time
from datetime import datetime, timezone


def _first_line_with(path: str, prefix: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as source:
            for line in source:
                if line.startswith(prefix):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "?"


def package_version(python: str, package: str, env: dict[str, str]) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    done = subprocess.run(
        [python, "-c", code], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    return done.stdout.strip() or "?"


def facts() -> dict[str, str]:
    mem_kib = _first_line_with("/proc/meminfo", "MemTotal").split()[0]
    return {
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": _first_line_with("/proc/cpuinfo", "model name"),
        "cores": str(os.cpu_count()),
        "memory": f"{int(mem_kib) / 1024 / 1024:.1f} GiB" if mem_kib.isdigit() else "?",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "load": load_average(),
    }


def load_average() -> str:
    """The 1-minute load average: other work on the machine shows up in every spread."""
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except OSError:
        return "?"


def wait_for_quiet(max_wait_s: float) -> str:
    """Wait (at most max_wait_s) until the 1-minute load average is below the core count;
    say how it went. Other work on a shared machine spreads every wall-clock figure."""
    cores = os.cpu_count() or 1
    deadline = time.monotonic() + max_wait_s
    while True:
        load = os.getloadavg()[0]
        if load < cores:
            return f"load {load:.2f}"
        if time.monotonic() >= deadline:
            return f"still busy (load {load:.2f}) after {max_wait_s:.0f} s"
        time.sleep(min(5.0, max(0.0, deadline - time.monotonic())))


def sdk_revision(repo: str) -> str:
    """The commit the SDK was measured at, and whether its files had uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", "-C", repo, *args], capture_output=True, text=True, timeout=30, check=False
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "?"
    dirty = git("status", "--porcelain", "--", "airflow_python_sdk")
    return f"{commit}{' with uncommitted changes to airflow_python_sdk/' if dirty else ''}"

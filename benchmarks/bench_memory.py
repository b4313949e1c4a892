"""Peak memory of fetching one large log, measured in a fresh process per figure.

Two meters, each in its own process so that neither disturbs the other:
- rss: growth of the process's resident high-water mark (VmHWM) over the call, after the
  mark is reset; it sees every byte, Python's or C's.
- traced: tracemalloc's peak of Python allocations over the call.
A small log is fetched first so that imports, pools and connections are not counted.
The CLI (`logs --output`) is a process of its own: its figure is that process's whole peak
resident size, read from the kernel when it exits, so only its growth with the log's size says
whether it holds memory flat.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import tracemalloc
from types import ModuleType
from typing import Any, Callable

import contestant_floor
import fixtures
from sinks import NullSink


def _hwm_bytes() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def _rss_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reset_hwm() -> bool:
    """Reset the resident high-water mark (Linux 4.0+); False where it cannot be reset."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
        return True
    except OSError:
        return False


def _call_for(contestant: ModuleType, host: str, who: str, mode: str) -> Callable[[int], Any]:
    if who == "urllib3":
        floor = contestant_floor.Floor(host, pool_size=1)
        if mode == "get":
            return floor.get_logs
        return lambda mib: floor.stream_logs(mib, NullSink())
    api = contestant.make_api(host, pool_size=1)
    if mode == "get":
        return lambda mib: contestant.get_logs(api, mib)
    return lambda mib: contestant.stream_logs(api, mib, NullSink())


def _cli_peak(contestant: ModuleType, host: str, mib: int) -> int:
    """Peak resident bytes of one CLI process writing the log to a file."""
    with tempfile.TemporaryDirectory() as folder:
        command = contestant.cli_logs_command(host, mib, os.path.join(folder, "task.log"))
        env = {**os.environ, "AIRFLOW_API_PASSWORD": "admin"}
        child = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
        try:
            _, status, usage = os.wait4(child.pid, 0)
        finally:
            child.returncode = 0  # reaped above; keeps Popen from waiting again
        if status != 0:
            raise RuntimeError(f"the CLI failed with wait status {status}")
    return int(usage.ru_maxrss) * 1024


def run(
    contestant: ModuleType, host: str, who: str, mode: str, mib: int, meter: str
) -> dict[str, Any]:
    log_size = fixtures.log_text_size(fixtures.lines_for(mib * fixtures.MIB))
    if mode == "cli":
        peak = _cli_peak(contestant, host, mib)
        return {
            "who": who,
            "mode": mode,
            "mib": mib,
            "meter": "rss-process",
            "log_bytes": log_size,
            "peak_bytes": peak,
            "ratio": peak / log_size,
        }
    call = _call_for(contestant, host, who, mode)
    call(0)  # warm-up on a small log
    if meter == "traced":
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        result = call(mib)
        peak = tracemalloc.get_traced_memory()[1] - before
        tracemalloc.stop()
    else:
        exact = _reset_hwm()
        before = _rss_bytes() if exact else _hwm_bytes()
        result = call(mib)
        peak = _hwm_bytes() - before
    del result
    return {
        "who": who,
        "mode": mode,
        "mib": mib,
        "meter": meter,
        "log_bytes": log_size,
        "peak_bytes": peak,
        "ratio": peak / log_size,
    }

"""Reading what a process the test started prints, line by line, with a deadline.

Used where a test starts a server as a user would (`python -m airflow_python_sdk.testing`,
`python -m airflow_python_sdk.testing.real_airflow`) and waits for the line that says it is up.
"""

from __future__ import annotations

import re
import subprocess
import threading
from typing import Union

__all__ = ["EMBEDDED_SERVER_URL", "wait_for_line", "wait_for_url"]

# What the embedded server's command prints once it serves; the group is the API's URL.
EMBEDDED_SERVER_URL = re.compile(r"Airflow API serving at (http://127\.0\.0\.1:\d+/api/v1)")


def wait_for_line(process: subprocess.Popen[str], pattern: Union[str, re.Pattern[str]],
                  timeout_s: float = 30.0) -> re.Match[str]:
    """The match of `pattern` in the first line of the process's stdout that has one.

    AssertionError, quoting the lines read, when the process ends first; a process still silent
    after `timeout_s` is killed, so that it fails the test instead of hanging it.
    """
    assert process.stdout is not None
    seen: list[str] = []
    # Lines are read whole, as the text layer buffers them (a select() on the pipe would not see
    # lines already buffered); the watchdog ends a read that would wait forever.
    watchdog = threading.Timer(timeout_s, process.kill)
    watchdog.start()
    try:
        for line in iter(process.stdout.readline, ""):
            seen.append(line)
            found = re.search(pattern, line)
            if found:
                return found
    finally:
        watchdog.cancel()
    raise AssertionError(f"no line matching {pattern!r} before the process ended (killed after "
                         f"{timeout_s} s); got {''.join(seen)[-2000:]!r}")


def wait_for_url(process: subprocess.Popen[str], timeout_s: float = 30.0) -> str:
    """The URL the embedded server's command prints once it serves."""
    return wait_for_line(process, EMBEDDED_SERVER_URL, timeout_s).group(1)

"""The embedded Airflow API server in a process of its own, started as a user starts it
(`python -m airflow_python_sdk.testing`): for tests whose measure must not count the server
(memory), or that are about the command itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from typing import Iterator

from support.paths import REPO_ROOT
from support.process_output import wait_for_url

__all__ = ["serving", "start"]


def start(*arguments: str) -> subprocess.Popen[str]:
    """`python -m airflow_python_sdk.testing ARGUMENTS`, its output on pipes."""
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("AIRFLOW_API_")}
    environment.update(PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1")
    return subprocess.Popen(
        [sys.executable, "-m", "airflow_python_sdk.testing", *arguments],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment,
        cwd=REPO_ROOT,
    )


@contextmanager
def serving(*arguments: str) -> Iterator[str]:
    """The server's API URL while the block runs; stopped with Ctrl-C (SIGINT) after it, and
    killed if it does not stop."""
    process = start(*arguments)
    try:
        yield wait_for_url(process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=10)

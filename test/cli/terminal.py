"""Running the command on a pseudo-terminal, to see what a person at a terminal sees.

The child gets the terminal as stdin, stdout, stderr and controlling terminal (getpass reads
from /dev/tty), and the test can type into it when a given text appears.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from dataclasses import dataclass
from typing import Optional

from support.command_runner import REPO_ROOT


@dataclass
class TerminalRun:
    returncode: int
    output: str  # everything written to the terminal, stdout and stderr mixed


def _make_controlling_terminal() -> None:
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def run_on_terminal(
    arguments: list[str],
    env: dict[str, str],
    *,
    answer_when: Optional[tuple[str, str]] = None,
    timeout: float = 60.0,
) -> TerminalRun:
    """Run `python -m airflow_python_sdk ARGUMENTS`; type answer_when[1] once answer_when[0]
    appears."""
    controller, terminal = pty.openpty()
    # A fresh pseudo-terminal is 0x0; a real one has a size, which tqdm sizes its bar by.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "airflow_python_sdk", *arguments],
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=env,
        cwd=REPO_ROOT,
        preexec_fn=_make_controlling_terminal,
    )
    os.close(terminal)
    output = b""
    answered = answer_when is None
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.1)
            if ready:
                try:
                    data = os.read(controller, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not data:
                    break
                output += data
            if not answered and answer_when is not None and answer_when[0].encode() in output:
                os.write(controller, answer_when[1].encode())
                answered = True
            if process.poll() is not None and not ready:
                break
        else:
            raise AssertionError(f"still running after {timeout}s; output: {output!r}")
        returncode = process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        os.close(controller)
    return TerminalRun(returncode, output.decode("utf-8", errors="replace"))

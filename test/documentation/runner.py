"""Runs a Markdown page's blocks in order, as a reader following the page would.

What a block is comes from the Markdown (tools/docs/markdown.py). The conventions that keep the
blocks honest:

- The server. Each block runs against a fresh embedded server with its sample data, as
  `python -m airflow_python_sdk.testing` serves it (its scheduler running): the runner starts one
  for the page and resets it before every block. A page that starts a server itself
  (`python -m airflow_python_sdk.testing ...` or `... .testing.real_airflow ...`) gets that one
  instead, for the rest of the page, as its reader does.
- Its address. Python blocks read the server from the environment (`Configuration.from_env()`),
  which holds what docs/GETTING_STARTED.md has readers export: AIRFLOW_API_HOST,
  AIRFLOW_API_USERNAME=admin and AIRFLOW_API_PASSWORD=admin, set to the server the block runs
  against; `export` lines of the page's shell blocks then change it as they would in the
  reader's shell. The docs start servers on port 8080; since that port may be taken where tests
  run, the runner gives the server a free port and reads `localhost:8080` / `127.0.0.1:8080` in
  a block (and `--port 8080`) as that port, and that port in outputs as 8080. That is the one
  change made to a block.
- Outputs. A transcript's output lines, and an `output` block's, must be what ran printed: a
  line `...` stands for any lines, `...` within a line for any text. The nightly DAGs of the
  sample data are dated six hours before the server started; outputs show them as of a server
  started at 2026-12-01T16:00Z (runs at 10:00), and the runner shifts the dates it sees so.
- Commands are the ones installed with the package (`airflow-sdk`, `python`), from this
  interpreter's environment, in a shell whose working directory is a fresh one per page.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import selectors
import shlex
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import IO, Optional

import pytest
from documentation.reader import BlockFailed, as_reader, run_python
from documentation.transcripts import commands, compare

from airflow_python_sdk.testing import AirflowApiServer
from airflow_python_sdk.testing.sample_dags import sample_dags
from airflow_python_sdk.testing.sample_data import sample_task_instances
from tools.docs.markdown import Block

DOCS_PORT = 8080
SHOWN_SERVER_START = datetime(2026, 12, 1, 16, tzinfo=timezone.utc)
STEP_TIMEOUT_S = 300
REAL_AIRFLOW_START_TIMEOUT_S = 900
_SERVER_COMMAND = re.compile(r"^python -m airflow_python_sdk\.testing(?P<real>\.real_airflow)?\b")
_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")
_SHELL_STATE = ("PWD", "OLDPWD", "SHLVL", "_")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def nightly_run(started: datetime) -> datetime:
    """When the sample data's nightly runs are, for a server that made its data at `started`."""
    return started.replace(minute=0, second=0, microsecond=0) - timedelta(hours=6)


class PageRun:
    """The state a reader builds up going down one page: a working directory, a shell
    environment, a server, the last output."""

    def __init__(self, pytester: pytest.Pytester,
                 real_airflow: Optional[dict[str, str]] = None) -> None:
        """A run of a page's fast part (against the embedded server), or with `real_airflow`
        (the real-Airflow suite's servers: `{"/api/v1": airflow 2's URL, "/api/v2": ...}`) of
        its real-Airflow part."""
        self.pytester = pytester
        self.cwd = pytester.path
        self.real = real_airflow is not None
        started = datetime.now(timezone.utc)
        # As `python -m airflow_python_sdk.testing` serves it (the server the docs start): the
        # sample data and DAGs, and the scheduler running what clients trigger or clear.
        self.server = AirflowApiServer(seed=sample_task_instances(started), dags=sample_dags(),
                                       scheduler=True)
        self.nightly = nightly_run(started)
        # The ports the docs' 8080 stands for on this page, by API path: the runner's server's
        # (or the real-Airflow suite's: Airflow 2 for /api/v1, Airflow 3 otherwise), then that
        # of the server the page starts (the runner's stops first, to free its port).
        if real_airflow is None:
            self.server.start()
            self.ports = dict.fromkeys(("", "/api/v1", "/api/v2"), self.server.port)
            host = self.server.url
        else:
            self.server.stop()
            self.ports = {path: int(url.split(":")[2].split("/")[0])
                          for path, url in real_airflow.items()}
            self.ports[""] = self.ports["/api/v2"]
            host = real_airflow["/api/v2"]
        self.own_server: Optional[subprocess.Popen[bytes]] = None  # a server the page started
        # Commands from this interpreter's environment, or from another one's (`make
        # check-dist` points this at a fresh venv with the wheel installed).
        bin_dir = os.environ.get("DOCS_RUNNER_BIN") or str(Path(sys.executable).parent)
        self.env = {
            **{k: v for k, v in os.environ.items()
               if not k.startswith(("AIRFLOW_", "PYTEST_", "DOCS_RUNNER_"))},
            "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
            # The reader's home, not pytester's empty one: the real Airflow's cached venvs are
            # under it (~/.cache/airflow-python-sdk), as pip's configuration may be.
            "HOME": pwd.getpwuid(os.getuid()).pw_dir,
            "AIRFLOW_API_HOST": host,
            "AIRFLOW_API_USERNAME": "admin",
            "AIRFLOW_API_PASSWORD": "admin",
            "PYTHONUNBUFFERED": "1",  # stdout and stderr interleave as on a terminal
            "NO_COLOR": "1",
        }
        self.last_output: Optional[str] = None
        self.last_block: Optional[Block] = None
        self.ran = 0

    def close(self) -> None:
        self._stop_own_server()
        self.server.stop()

    # -- the blocks ---------------------------------------------------------------------------

    def run(self, block: Block) -> None:
        """Run one block (or write its file, or compare its output); BlockFailed if it did not
        run as printed. A run of one part of the page passes over the other part's blocks, but
        for the files they write, which a reader of the later part has written too."""
        if not block.runs:
            return
        if block.real_airflow != self.real:
            if self.real and block.kind in ("file", "python file"):
                self._file(block)
            return
        if self.own_server is None and not self.real:
            self.server.reset()
        try:
            handler = {
                "file": self._file,
                "python file": self._file,
                "python test file": self._python_tests,
                "python tests": self._python_tests,
                "python": self._python,
                "shell": self._shell,
                "transcript": self._transcript,
                "output": self._output,
            }[block.kind]
        except KeyError:
            raise BlockFailed(f"{block.where}: no way to run a {block.kind!r} block") from None
        handler(block)
        self.ran += 1
        if block.kind != "output":
            self.last_block = block

    def _file(self, block: Block) -> None:
        target = self.cwd / block.argument
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(block.text, encoding="utf-8")
        self.last_output = None

    def _python(self, block: Block) -> None:
        with self._as_reader():
            self.last_output = self.as_shown(run_python(self.to_run(block.text), block.where))

    def _python_tests(self, block: Block) -> None:
        if block.kind == "python test file":
            path = self.cwd / block.argument
        else:
            path = self.cwd / f"test_{block.path.stem.lower()}_line_{block.line}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(block.text, encoding="utf-8")
        expected = len(re.findall(r"^def test_\w*\(", block.text, re.MULTILINE))
        # The plugin is this process's already: loaded again by its entry point, it would clash.
        with self._as_reader(PYTEST_DISABLE_PLUGIN_AUTOLOAD="1"):
            result = self.pytester.runpytest_inprocess(
                "-p", "airflow_python_sdk.testing.pytest_plugin", "-p", "no:cacheprovider",
                "--rootdir", str(self.cwd), str(path))
        outcomes = result.parseoutcomes()
        if result.ret != 0 or outcomes.get("passed", 0) != expected or len(outcomes) != 1:
            raise BlockFailed(f"{block.where}: its {expected} test(s) did not all pass "
                              f"({outcomes}):\n" + "\n".join(result.outlines[-40:]))
        self.last_output = None

    def _shell(self, block: Block) -> None:
        commands = [line for line in block.text.splitlines()
                    if line.strip() and not line.lstrip().startswith("#")]
        if any(_SERVER_COMMAND.match(line) for line in commands):
            if len(commands) != 1:
                raise BlockFailed(f"{block.where}: a block that starts a server must hold only "
                                  "that command (it runs until stopped)")
            self.last_output = self._start_server(block, commands[0])
            return
        state = self.cwd / ".docs-runner-state"
        script = (f"set -eo pipefail\n{self.to_run(block.text)}\n"
                  f"pwd > {shlex.quote(str(state))}.cwd\nenv -0 > {shlex.quote(str(state))}.env\n")
        done = self._bash(script, block)
        if done.returncode != 0:
            raise BlockFailed(f"{block.where}: exited {done.returncode}:\n{done.stdout}")
        self.last_output = self.as_shown(done.stdout)
        self.cwd = Path(Path(f"{state}.cwd").read_text().strip())
        exported = dict(item.split("=", 1) for item in
                        Path(f"{state}.env").read_text().split("\0") if "=" in item)
        for name in _SHELL_STATE:
            exported.pop(name, None)
        self.env = exported

    def _transcript(self, block: Block) -> None:
        status = 0  # the previous command's, which `$?` reads in a reader's shell
        for command, expected in commands(block.text):
            if command.startswith("export "):
                self._export(command)
                continue
            if _SERVER_COMMAND.match(command):
                printed = self._start_server(block, command)
            else:
                done = self._bash(f"(exit {status}); {self.to_run(command)}", block)
                printed, status = self.as_shown(done.stdout), done.returncode
            compare(block, command, expected, printed)
        self.last_output = None

    def _output(self, block: Block) -> None:
        if self.last_output is None or self.last_block is None:
            raise BlockFailed(f"{block.where}: an output block must follow a Python or shell "
                              "block that prints")
        compare(block, f"the block at line {self.last_block.line}",
                 block.text.splitlines(), self.last_output)

    # -- servers the page starts --------------------------------------------------------------

    def _start_server(self, block: Block, command: str) -> str:
        """Start a server command in the background, wait for its banner (up to the line that
        says how it stops), and aim the page's later blocks at it."""
        self._stop_own_server()
        self.server.stop()  # frees the page's port
        self.ports = dict.fromkeys(self.ports, self.ports[""] if not self.real else free_port())
        real = _SERVER_COMMAND.match(command)["real"] is not None  # type: ignore[index]
        started = datetime.now(timezone.utc)
        process = subprocess.Popen(
            ["bash", "-c", "exec " + self.to_run(command)], cwd=self.cwd, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            bufsize=0, start_new_session=True)
        self.own_server = process
        self.nightly = nightly_run(started)
        assert process.stdout is not None
        deadline = time.monotonic() + (REAL_AIRFLOW_START_TIMEOUT_S if real else 60)
        lines = _read_until(process.stdout, deadline, "Ctrl-C stops")
        if lines is None or process.poll() is not None:
            printed = self._stop_own_server()
            raise BlockFailed(f"{block.where}: `{command}` did not start; it printed:\n"
                              + "".join(lines or []) + printed)
        return self.as_shown("".join(lines))

    def _stop_own_server(self) -> str:
        """Stop the server the page started (Ctrl-C, as its reader would); what it printed
        since its banner."""
        process, self.own_server = self.own_server, None
        if process is None:
            return ""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
        if process.stdout is None:
            return ""
        with process.stdout:
            # What is there now: a process it started could keep the pipe open.
            os.set_blocking(process.stdout.fileno(), False)
            with contextlib.suppress(OSError):
                printed = process.stdout.read() or b""
                return printed.decode("utf-8", "replace")[-3000:]
            return ""

    # -- what the reader's shell and Python see -----------------------------------------------

    def to_run(self, text: str) -> str:
        """The block as it runs: the docs' port 8080 is this page's server's port."""

        def port(match: re.Match[str]) -> str:
            return f"{match[1]}:{self.ports[match[2] or '']}{match[2] or ''}"

        text = re.sub(rf"(localhost|127\.0\.0\.1):{DOCS_PORT}(/api/v[12])?\b", port, text)
        return text.replace(f"--port {DOCS_PORT}", f"--port {self.ports['']}")

    def as_shown(self, text: str) -> str:
        """Output as the docs show it: port 8080, the nightly runs dated as shown."""
        for number in set(self.ports.values()):
            text = re.sub(rf"(localhost|127\.0\.0\.1):{number}\b", rf"\1:{DOCS_PORT}", text)
        shift = nightly_run(SHOWN_SERVER_START) - self.nightly
        low, high = self.nightly - timedelta(minutes=1), self.nightly + timedelta(hours=2)

        def shifted(match: re.Match[str]) -> str:
            when = datetime.fromisoformat(match[0])
            if not low <= when <= high:
                return match[0]
            moved = (when + shift).isoformat()
            return moved if "." in match[0] or "." not in moved else moved.split(".")[0] + "+00:00"

        return _DATE_TIME.sub(shifted, text)

    def _bash(self, script: str, block: Block) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(["bash", "-c", script], cwd=self.cwd, env=self.env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, text=True, timeout=STEP_TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            raise BlockFailed(f"{block.where}: still running after {STEP_TIMEOUT_S} s") from error

    def _export(self, command: str) -> None:
        for assignment in shlex.split(self.to_run(command))[1:]:
            name, _, value = assignment.partition("=")
            self.env[name] = value

    def _as_reader(self, **extra: str) -> contextlib.AbstractContextManager[None]:
        return as_reader({**self.env, **extra}, self.cwd)


def _read_until(stream: IO[bytes], deadline: float, last: str) -> Optional[list[str]]:
    """The lines up to the one holding `last`; None if the stream ends or time runs out first.
    Read from the file descriptor as it comes (a buffered reader could hold lines back)."""
    received = b""
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                return None
            piece = os.read(stream.fileno(), 65536)
            if not piece:
                return None
            received += piece
            lines = received.decode("utf-8", "replace").splitlines(keepends=True)
            for number, line in enumerate(lines):
                if last in line and line.endswith("\n"):
                    return lines[: number + 1]
    return None

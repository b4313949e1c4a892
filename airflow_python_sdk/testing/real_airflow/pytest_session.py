"""The real servers of one pytest session: started on first use, stopped at the session's end.

Loaded by the `airflow_real_servers` fixture of airflow_python_sdk.testing.pytest_plugin only
when a test asks for a real server, so pytest runs that never do pay nothing for it.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future
from pathlib import Path
from types import FrameType
from typing import Optional

import pytest

from .arguments import checked_dag_folders, usable_venvs_dir
from .install import RegistryUnreachable
from .memory import PeakMemory, children_of
from .processes import CommandFailed, processes_using_home
from .server_handle import RealAirflow, stop_all, stop_servers
from .servers import start_in_parallel
from .versions import default_venvs_dir, lookup

__all__ = ["RealAirflowSession", "parse_versions", "terminal_summary"]

# The session that started servers in this process, for the terminal summary.
_current: Optional[RealAirflowSession] = None


def parse_versions(values: Sequence[str]) -> list[str]:
    """The pinned versions named by --airflow-real values ("3", "2.10.5", "2,3"), in order."""
    versions: list[str] = []
    for value in values:
        for part in value.split(","):
            if part.strip():
                version = lookup(part).version  # ValueError names the value and the choices
                if version not in versions:
                    versions.append(version)
    return versions


def check_arguments(config: pytest.Config) -> None:
    """`BadArgument` for a --airflow-dags folder that is missing, or an --airflow-venvs that
    cannot be made: said before any test runs, not after minutes of installing."""
    base = config.invocation_params.dir
    checked_dag_folders([base / Path(p) for p in config.getoption("airflow_dags") or []],
                        "--airflow-dags")
    usable_venvs_dir(default_venvs_dir(config.getoption("airflow_venvs")))


def _raise_interrupt(signum: int, frame: Optional[FrameType]) -> None:
    # pytest then stops as on Ctrl-C: fixtures are torn down, so every server stops.
    raise KeyboardInterrupt


class RealAirflowSession:
    """Servers by version for one test session; the versions come from --airflow-real."""

    def __init__(self, session: pytest.Session) -> None:
        config = session.config
        self.session = session
        self.config = config
        self.versions = parse_versions(config.getoption("airflow_real") or [])
        base = config.invocation_params.dir
        self.dag_folders = [base / Path(p) for p in config.getoption("airflow_dags") or []]
        self.venvs_dir = default_venvs_dir(config.getoption("airflow_venvs"))
        self.keep_home = bool(config.getoption("airflow_keep_home"))
        self._futures: dict[str, Future[RealAirflow]] = {}
        self._waited_s: dict[str, float] = {}
        self._lock = threading.Lock()
        self._all_children = PeakMemory(lambda: children_of(os.getpid()))
        self._restore_sigterm = False

    def _announce(self, message: str) -> None:
        """A line on the terminal despite output capture: an install can take minutes."""
        manager = self.config.pluginmanager
        reporter = manager.get_plugin("terminalreporter")
        capture = manager.get_plugin("capturemanager")
        if reporter is None:
            return
        if capture is None:
            reporter.write_line(f"[real Airflow] {message}")
            return
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"[real Airflow] {message}")

    def needed(self) -> list[str]:
        """The requested versions that collected tests use through `airflow_real`."""
        wanted = set()
        for item in self.session.items:
            callspec = getattr(item, "callspec", None)
            if callspec is not None and "airflow_real" in callspec.params:
                wanted.add(callspec.params["airflow_real"])
        return [v for v in self.versions if v in wanted]

    def start(self, versions: Sequence[str]) -> None:
        """Begin installing and starting the requested versions not begun yet, side by side;
        returns at once. Fixtures of a conftest.py call it with every version their tests use."""
        with self._lock:
            # Only what --airflow-real asked for: get() skips the tests of any other version.
            missing = [lookup(v).version for v in versions]
            missing = [
                v for v in dict.fromkeys(missing) if v in self.versions and v not in self._futures
            ]
            if missing:
                self._start(missing)

    def _start(self, versions: list[str]) -> None:
        global _current
        _current = self
        if (
            threading.current_thread() is threading.main_thread()
            and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        ):
            # Without this a `kill` ends pytest at once and leaves the servers running.
            signal.signal(signal.SIGTERM, _raise_interrupt)
            self._restore_sigterm = True
        if not self._all_children.is_running():
            self._all_children.start()
        self._announce(
            f"installing where missing and starting {', '.join(versions)} (minutes); "
            f"venvs in {self.venvs_dir}"
        )
        self._futures.update(
            start_in_parallel(
                [lookup(v) for v in versions],
                self.dag_folders,
                self.venvs_dir,
                self.keep_home,
                say=lambda message: None,  # the threads' lines would land in some test's output
            )
        )

    def get(self, version: str) -> RealAirflow:
        """The running server of a requested version; skips if the version was not requested."""
        wanted = lookup(version).version
        if wanted not in self.versions:
            pytest.skip(
                f"real Airflow {wanted} not requested: run pytest with --airflow-real={wanted}"
            )
        self.start([*self.needed(), wanted])
        began = time.monotonic()
        problem = ""
        try:
            server = self._futures[wanted].result()
        except KeyboardInterrupt:
            stop_all()  # the servers still starting, now rather than after their start-up
            raise
        except RegistryUnreachable as error:
            problem = str(error)
        except CommandFailed as error:
            problem = f"real Airflow {wanted} did not start: {error}"
        if problem:
            # Outside the except clause, so pytest shows the message alone, no exception chain.
            pytest.fail(problem, pytrace=False)
        if wanted not in self._waited_s:
            self._waited_s[wanted] = round(time.monotonic() - began, 1)
            self._announce(f"{wanted} ready at {server.url}")
        return server

    def started(self) -> list[RealAirflow]:
        return [
            f.result()
            for f in self._futures.values()
            if f.done() and not f.cancelled() and f.exception() is None
        ]

    def stop(self) -> None:
        """Stop every server side by side; fail if any of their processes survived."""
        if not all(f.done() for f in self._futures.values()):
            # Still installing or starting (the session ended early, e.g. on Ctrl-C): stop every
            # command of this process at once rather than wait minutes for a start to end.
            stop_all()
        for future in self._futures.values():
            future.exception()  # waits for the start-up threads to end
        servers = self.started()
        stop_servers(servers)
        if self._restore_sigterm and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
        left = {s.version: processes_using_home(s.airflow_home) for s in servers}
        left = {version: pids for version, pids in left.items() if pids}
        assert not left, f"Airflow processes still alive after stop: {left}"

    def summary_lines(self) -> list[str]:
        lines = []
        for server in self.started():
            timings = server.timings_s
            lines.append(
                f"Airflow {server.version}: install {timings.get('install', 0.0):.0f} s "
                f"(0 = already installed), start {timings.get('start', 0.0):.0f} s, "
                f"test waited {self._waited_s.get(server.version, 0.0):.0f} s; "
                f"{server.memory.summary()}; steps {timings}"
            )
        if lines:
            self._all_children.stop()
            lines.append(f"all servers together: {self._all_children.summary()}")
        return lines


def terminal_summary(reporter: pytest.TerminalReporter) -> None:
    """What the session's real servers cost: install and start seconds, memory."""
    if _current is None:
        return
    lines = _current.summary_lines()
    if lines:
        reporter.section("real Airflow servers")
        for line in lines:
            reporter.write_line(line)

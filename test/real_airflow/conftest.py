"""Fixtures that start real Apache Airflow 2 and 3 servers on 127.0.0.1 for a test session.

The servers install on first use (into `.airflow-venvs/`, kept for later runs) and start in
parallel as soon as the first test needs one. Each has finished one run of `sdk_maintenance` in
which `echo_ok` succeeded and `fail_task` failed.

SDK_SKIP_REAL_AIRFLOW=1 skips these tests, with that reason shown; nothing else skips them: a
failed install or start is an error.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

# The harness lives in integration/ at the repository root, which is not on the test path.
_REPO_ROOT = Path(__file__).resolve().parents[2]
if str(_REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(_REPO_ROOT))

from integration.real_airflow import shared_servers  # noqa: E402
from integration.real_airflow.memory import PeakMemory, children_of  # noqa: E402
from integration.real_airflow.processes import processes_using_home  # noqa: E402
from integration.real_airflow.server_handle import AirflowServer  # noqa: E402
from integration.real_airflow.versions import AIRFLOW_2, AIRFLOW_3, AirflowVersion  # noqa: E402

SKIP_VARIABLE = "SDK_SKIP_REAL_AIRFLOW"
FIXTURE_VERSIONS = {"airflow2_server": AIRFLOW_2, "airflow3_server": AIRFLOW_3}

# Everything this test process starts, both servers together, sampled while the session runs.
_all_children = PeakMemory(lambda: children_of(os.getpid()))
_waited_s: dict[str, float] = {}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if FIXTURE_VERSIONS.keys() & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.real_airflow)


def _versions_needed(session: pytest.Session) -> list[AirflowVersion]:
    names = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    return [target for fixture, target in FIXTURE_VERSIONS.items() if fixture in names]


def _announce(request: pytest.FixtureRequest, message: str) -> None:
    """A line on the terminal despite output capture: an install can take minutes."""
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(f"[real Airflow] {message}")


def _server(request: pytest.FixtureRequest, target: AirflowVersion) -> Iterator[AirflowServer]:
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"{SKIP_VARIABLE}=1: real Airflow {target.version} not started")
    if not _all_children.is_running():
        _all_children.start()
    # Start every version this session will use now, so they come up side by side.
    needed = _versions_needed(request.session) or [target]
    if not shared_servers.started():
        versions = ", ".join(t.version for t in needed)
        _announce(request, f"installing where missing and starting {versions} (minutes)")
    # The start-up threads' own progress lines would land in some test's captured output.
    shared_servers.prestart(needed, say=lambda message: None)
    began = time.monotonic()
    server = shared_servers.get(target)
    _waited_s[target.version] = round(time.monotonic() - began, 1)
    _announce(request, f"{target.version} ready at {server.base_url}")
    yield server
    # All servers at once, so they shut down side by side; the other fixtures find theirs stopped.
    homes = {s.version: s.airflow_home for s in shared_servers.started()}
    shared_servers.stop_all()
    left = {version: processes_using_home(home) for version, home in homes.items()}
    left = {version: pids for version, pids in left.items() if pids}
    assert not left, f"Airflow processes still alive after stop: {left}"


@pytest.fixture(scope="session")
def airflow2_server(request: pytest.FixtureRequest) -> Iterator[AirflowServer]:
    """Airflow 2.10.5: REST API under /api/v1, HTTP basic auth."""
    yield from _server(request, AIRFLOW_2)


@pytest.fixture(scope="session")
def airflow3_server(request: pytest.FixtureRequest) -> Iterator[AirflowServer]:
    """Airflow 3.3.2: REST API under /api/v2, JWT from POST /auth/token."""
    yield from _server(request, AIRFLOW_3)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print what the real servers cost: install and start-up seconds, memory."""
    servers = shared_servers.started()
    if not servers:
        return
    _all_children.stop()
    report = terminalreporter
    report.section("real Airflow servers")
    for server in servers:
        timings = server.timings_s
        report.write_line(
            f"Airflow {server.version}: install {timings.get('install', 0.0):.0f} s "
            f"(0 = already installed), start {timings.get('start', 0.0):.0f} s, "
            f"test waited {_waited_s.get(server.version, 0.0):.0f} s; "
            f"{server.memory.summary()}; steps {timings}"
        )
    report.write_line(f"all servers together: {_all_children.summary()}")

"""Real Apache Airflow 2 and 3 for the project's own tests, from the public fixture.

The servers come from the SDK's pytest plugin (`airflow_real_servers`, what `--airflow-real`
starts for users). Unless the command line says otherwise, this suite asks for both pinned
versions with the `sdk_maintenance` DAG and the DAG of the docs' example. On each server
`airflow2_server` / `airflow3_server` run `sdk_maintenance` once (echo_ok succeeds, fail_task
fails) and pause it, so the tests find that run as they left it.

SDK_SKIP_REAL_AIRFLOW=1 skips these tests, with that reason shown; nothing else skips them: a
failed install or start is an error.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from airflow_python_sdk.testing.real_airflow import AIRFLOW_2, AIRFLOW_3, AirflowVersion
from airflow_python_sdk.testing.real_airflow.pytest_session import RealAirflowSession
from integration.real_airflow import maintenance_run
from integration.real_airflow.maintenance_run import AirflowServer

SKIP_VARIABLE = "SDK_SKIP_REAL_AIRFLOW"
FIXTURE_VERSIONS = {"airflow2_server": AIRFLOW_2, "airflow3_server": AIRFLOW_3}
DOCS_EXAMPLE_DAGS = (
    Path(__file__).resolve().parents[2] / "docs" / "examples" / "real_airflow" / "dags"
)

_prepared: dict[str, AirflowServer] = {}
_prepare_lock = threading.Lock()


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get(SKIP_VARIABLE) == "1":
        return
    # The project's suite proves both versions on every run; --airflow-real narrows it.
    if not config.getoption("airflow_real"):
        config.option.airflow_real = [AIRFLOW_2.version, AIRFLOW_3.version]
    if not config.getoption("airflow_dags"):
        config.option.airflow_dags = [str(maintenance_run.DAGS_FOLDER), str(DOCS_EXAMPLE_DAGS)]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        used = set(getattr(item, "fixturenames", ()))
        if used & (FIXTURE_VERSIONS.keys() | {"airflow_real"}):
            item.add_marker(pytest.mark.real_airflow)


def _versions_needed(session: pytest.Session) -> list[str]:
    names = {name for item in session.items for name in getattr(item, "fixturenames", ())}
    return [target.version for fixture, target in FIXTURE_VERSIONS.items() if fixture in names]


def _server(
    request: pytest.FixtureRequest, servers: RealAirflowSession, target: AirflowVersion
) -> AirflowServer:
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"{SKIP_VARIABLE}=1: real Airflow {target.version} not started")
    # Every version this session will use starts now, so they come up side by side.
    servers.start([*servers.needed(), *_versions_needed(request.session), target.version])
    with _prepare_lock:
        if target.version not in _prepared:
            _prepared[target.version] = maintenance_run.prepare(servers.get(target.version))
    return _prepared[target.version]


@pytest.fixture(scope="session")
def airflow2_server(
    request: pytest.FixtureRequest, airflow_real_servers: RealAirflowSession
) -> AirflowServer:
    """Airflow 2.10.5: REST API under /api/v1, HTTP basic auth."""
    return _server(request, airflow_real_servers, AIRFLOW_2)


@pytest.fixture(scope="session")
def airflow3_server(
    request: pytest.FixtureRequest, airflow_real_servers: RealAirflowSession
) -> AirflowServer:
    """Airflow 3.3.2: REST API under /api/v2, JWT from POST /auth/token."""
    return _server(request, airflow_real_servers, AIRFLOW_3)


# A stand-in for an installed Airflow 3, for the quick tests of starting, stopping and ports:
# `db migrate` writes the health answer into the home, the "API server" serves the home over
# HTTP, the "scheduler" sleeps. Everything else the harness runs succeeds at once.
FAKE_AIRFLOW = """#!/bin/sh
case "$1" in
  db) mkdir -p api/v2/monitor && echo '{}' > api/v2/monitor/health ;;
  api-server) exec python3 -m http.server --bind 127.0.0.1 "$3" ;;
  scheduler) exec sleep 300 ;;
esac
"""


@pytest.fixture
def fake_airflow_venvs(tmp_path: Path) -> Path:
    """A venvs directory holding a fake, already "installed" Airflow 3.3.2."""
    from airflow_python_sdk.testing.real_airflow.install import STAMP_NAME, _stamp_text
    from airflow_python_sdk.testing.real_airflow.versions import Venv

    root = tmp_path / "venvs"
    venv = Venv(AIRFLOW_3, root)
    venv.airflow_bin.parent.mkdir(parents=True)
    venv.airflow_bin.write_text(FAKE_AIRFLOW)
    venv.python_bin.write_text("#!/bin/sh\nexit 0\n")  # "airflow imports and has the version"
    for script in (venv.airflow_bin, venv.python_bin):
        script.chmod(0o755)
    (venv.directory / STAMP_NAME).write_text(_stamp_text(venv))
    return root

"""pytest fixtures around the embedded Airflow API server.

Installed with the SDK and registered as a pytest11 entry point, so any test can ask for:

- airflow_api: the running server (AirflowApiServer), its data reset before each test;
- airflow_client: a TaskInstanceApi pointed at it, signed in as the first configured user.

A test declares the DAGs it runs, and asks for the scheduler, with a marker:

    @pytest.mark.airflow_api(dags=[{"dag_id": "etl", "tasks": [
        {"task_id": "extract", "downstream": ["load"]},
        {"task_id": "load", "outcome": ["failed", "success"], "retries": 1}]}], pace=0)
    def test_my_job_reruns_the_load(airflow_api): ...

`dags` are DAG seeds (testing/dag_seeds.py: their tasks and what each does when it runs), added
beside the sample DAGs for that test; the scheduler then runs what the test triggers or clears,
at `pace` seconds per step (0: at once; default 0.25); `scheduler=False` declares DAGs without
running them. Without the marker nothing moves by itself.

One server serves the whole session (starting is cheap, but not free); resetting it per test
keeps tests independent. Override the session fixtures airflow_api_seed (seed data or a JSON
file path) and airflow_api_users (a list of User) in a conftest.py to serve other data.

A real Apache Airflow is opt-in: with `--airflow-real=3.3.2` (or 2.10.5, 2, 3; repeat or
comma-separate for several) and `--airflow-dags=PATH`, the session fixture airflow_real is a
running server (airflow_python_sdk.testing.real_airflow.RealAirflow), and a test that asks for it
runs once per version. Without the option such tests are skipped, saying how to enable them.

Only pytest is imported here at start-up: the servers and the SDK client load inside fixtures,
so having the SDK installed costs nothing to test runs that never use them.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Iterator, Optional

import pytest

if TYPE_CHECKING:
    from ..api.task_instance_api import TaskInstanceApi
    from .auth import User
    from .real_airflow import RealAirflow
    from .real_airflow.pytest_session import RealAirflowSession
    from .seeding import SeedSource
    from .server import AirflowApiServer

__all__ = [
    "airflow_api",
    "airflow_api_seed",
    "airflow_api_server",
    "airflow_api_users",
    "airflow_client",
    "airflow_real",
    "airflow_real_servers",
]

ENABLE_REAL_AIRFLOW = (
    "needs a real Airflow: run pytest with --airflow-real=3.3.2 (or 2.10.5, 2, 3) "
    "and --airflow-dags=PATH_TO_YOUR_DAGS"
)
_SESSION_MODULE = "airflow_python_sdk.testing.real_airflow.pytest_session"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("airflow-real", "real Apache Airflow (airflow_python_sdk)")
    group.addoption(
        "--airflow-real",
        action="append",
        default=[],
        metavar="VERSION",
        help="start a real Airflow for tests using airflow_real: 3.3.2, 2.10.5, 2 or 3 "
        "(repeat or comma-separate for several; the tests then run on each)",
    )
    group.addoption(
        "--airflow-dags",
        action="append",
        default=[],
        metavar="PATH",
        help="a DAG folder the real Airflow loads (repeatable; copied into its fresh home)",
    )
    group.addoption(
        "--airflow-venvs",
        default=None,
        metavar="DIR",
        help="where Airflow's virtual environments are cached "
        "(default: $SDK_AIRFLOW_VENVS, else ~/.cache/airflow-python-sdk/airflow-venvs)",
    )
    group.addoption(
        "--airflow-keep-home",
        action="store_true",
        default=False,
        help="keep each real Airflow's AIRFLOW_HOME (database, logs) after the session",
    )


def _real_versions(config: pytest.Config) -> list[str]:
    values: list[str] = config.getoption("airflow_real") or []
    if not values:
        return []
    # Only now: runs without the option never load the real-Airflow machinery.
    from .real_airflow.arguments import BadArgument
    from .real_airflow.pytest_session import check_arguments, parse_versions

    try:
        versions = parse_versions(values)
    except ValueError as error:
        raise pytest.UsageError(f"--airflow-real: {error}") from None
    try:
        check_arguments(config)
    except BadArgument as error:
        raise pytest.UsageError(str(error)) from None
    return versions


def pytest_configure(config: pytest.Config) -> None:
    _real_versions(config)  # a wrong version is a usage error before any test runs
    config.addinivalue_line(
        "markers",
        "airflow_api(dags=None, pace=0.25, scheduler=True): the DAGs this test adds to the "
        "embedded server (airflow_api) and whether its scheduler runs them, at what pace",
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "airflow_real" not in metafunc.fixturenames:
        return
    versions = _real_versions(metafunc.config)
    if versions:
        metafunc.parametrize(
            "airflow_real",
            versions,
            indirect=True,
            scope="session",
            ids=[f"airflow-{v}" for v in versions],
        )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    session_module = sys.modules.get(_SESSION_MODULE)
    if session_module is not None:  # loaded only when some test used a real server
        session_module.terminal_summary(terminalreporter)


@pytest.fixture(scope="session")
def airflow_api_seed() -> Optional[SeedSource]:
    """The data the server starts with and returns to; None means the sample data."""
    return None


@pytest.fixture(scope="session")
def airflow_api_users() -> Optional[list[User]]:
    """The server's users; None means admin:admin and viewer:viewer (read-only)."""
    return None


@pytest.fixture(scope="session")
def airflow_api_server(
    airflow_api_seed: Optional[SeedSource], airflow_api_users: Optional[list[User]]
) -> Iterator[AirflowApiServer]:
    """The session's server, as the last test left it; most tests want airflow_api instead."""
    from .server import AirflowApiServer

    with AirflowApiServer(seed=airflow_api_seed, users=airflow_api_users) as server:
        yield server


@pytest.fixture
def airflow_api(
    request: pytest.FixtureRequest, airflow_api_server: AirflowApiServer
) -> Iterator[AirflowApiServer]:
    """The running server with its initial data, no faults and an empty request log; with the
    test's `airflow_api` marker, its DAGs added and its scheduler running."""
    airflow_api_server.reset()
    marker = request.node.get_closest_marker("airflow_api")
    if marker is not None:
        _apply_marker(airflow_api_server, marker)
    yield airflow_api_server
    # Leave no delay, pending failure or running scheduler behind for fixtures torn down after
    # this test.
    airflow_api_server.faults.clear()
    airflow_api_server.scheduler.stop()


def _apply_marker(server: AirflowApiServer, marker: pytest.Mark) -> None:
    from .scheduler import DEFAULT_PACE

    if marker.args:
        raise pytest.UsageError("@pytest.mark.airflow_api takes keywords: dags=, pace=, "
                                "scheduler=")
    unknown = set(marker.kwargs) - {"dags", "pace", "scheduler"}
    if unknown:
        raise pytest.UsageError(f"@pytest.mark.airflow_api: unknown {sorted(unknown)}; it "
                                "takes dags=, pace= and scheduler=")
    dags = marker.kwargs.get("dags")
    if dags:
        server.add_dags(dags)
    if marker.kwargs.get("scheduler", True):
        server.scheduler.start(pace=marker.kwargs.get("pace", DEFAULT_PACE))


@pytest.fixture
def airflow_client(airflow_api: AirflowApiServer) -> Iterator[TaskInstanceApi]:
    """A TaskInstanceApi for airflow_api, signed in as its first user; closed after the test."""
    from .. import ApiClient, Configuration
    from ..api.task_instance_api import TaskInstanceApi

    user = airflow_api.users[0]
    configuration = Configuration(host=airflow_api.url, username=user.name, password=user.password)
    with ApiClient(configuration) as api_client:
        yield TaskInstanceApi(api_client)


@pytest.fixture(scope="session")
def airflow_real_servers(request: pytest.FixtureRequest) -> Iterator[RealAirflowSession]:
    """The session's real servers by version (most tests want airflow_real instead).

    get("3.3.2") is that server, started with every other requested version on first use;
    all stop when the session ends.
    """
    from .real_airflow.pytest_session import RealAirflowSession

    servers = RealAirflowSession(request.session)
    yield servers
    servers.stop()


@pytest.fixture(scope="session")
def airflow_real(
    request: pytest.FixtureRequest, airflow_real_servers: RealAirflowSession
) -> RealAirflow:
    """A real Airflow with its scheduler running and the --airflow-dags folders loaded: url,
    dialect, admin, client (a ready ApiClient), trigger_dag_run / wait_for_dag_run / run_dag."""
    version: Optional[str] = getattr(request, "param", None)
    if version is None:
        pytest.skip(f"airflow_real {ENABLE_REAL_AIRFLOW}")
    return airflow_real_servers.get(version)

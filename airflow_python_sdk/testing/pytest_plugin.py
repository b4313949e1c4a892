"""pytest fixtures around the embedded Airflow API server.

Installed with the SDK and registered as a pytest11 entry point, so any test can ask for:

- airflow_api: the running server (AirflowApiServer), its data reset before each test;
- airflow_client: a TaskInstanceApi pointed at it, signed in as the first configured user.

One server serves the whole session (starting is cheap, but not free); resetting it per test
keeps tests independent. Override the session fixtures airflow_api_seed (seed data or a JSON
file path) and airflow_api_users (a list of User) in a conftest.py to serve other data.

Only pytest is imported here at start-up: the server and the SDK client load inside fixtures,
so having the SDK installed costs nothing to test runs that never use them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Optional

import pytest

if TYPE_CHECKING:
    from ..api.task_instance_api import TaskInstanceApi
    from .auth import User
    from .seeding import SeedSource
    from .server import AirflowApiServer


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
def airflow_api(airflow_api_server: AirflowApiServer) -> Iterator[AirflowApiServer]:
    """The running server with its initial data, no faults and an empty request log."""
    airflow_api_server.reset()
    yield airflow_api_server
    # Leave no delay or pending failure behind for fixtures torn down after this test.
    airflow_api_server.faults.clear()


@pytest.fixture
def airflow_client(airflow_api: AirflowApiServer) -> Iterator[TaskInstanceApi]:
    """A TaskInstanceApi for airflow_api, signed in as its first user; closed after the test."""
    from .. import ApiClient, Configuration
    from ..api.task_instance_api import TaskInstanceApi

    user = airflow_api.users[0]
    configuration = Configuration(host=airflow_api.url, username=user.name, password=user.password)
    with ApiClient(configuration) as api_client:
        yield TaskInstanceApi(api_client)

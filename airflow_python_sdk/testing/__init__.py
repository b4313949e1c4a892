"""An Airflow API server that runs inside the test process, a pytest plugin around it, and
`MockTransport` for unit tests without a socket.

    from airflow_python_sdk.testing import AirflowApiServer

    with AirflowApiServer() as server:
        ...  # point Configuration(host=server.url) at it

A real Apache Airflow, for tests that must run DAGs, is in `.real_airflow` (RealAirflow, and the
plugin's opt-in `airflow_real` fixture).

Names are imported on first use, so that loading the pytest plugin stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .auth import User as User
    from .faults import Faults as Faults
    from .mock_transport import MockTransport as MockTransport
    from .mock_transport import json_response as json_response
    from .real_airflow import RealAirflow as RealAirflow
    from .sample_dags import sample_dags as sample_dags
    from .sample_data import recent_failures as recent_failures
    from .sample_data import sample_task_instances as sample_task_instances
    from .seeding import SeedError as SeedError
    from .seeding import load_seed_file as load_seed_file
    from .server import AirflowApiServer as AirflowApiServer
    from .store import (
        StoredTaskInstance as StoredTaskInstance,
    )
    from .store import (
        TaskInstanceKey as TaskInstanceKey,
    )
    from .store import (
        TaskInstanceStore as TaskInstanceStore,
    )

_HOMES = {
    "AirflowApiServer": "server",
    "Faults": "faults",
    "MockTransport": "mock_transport",
    "RealAirflow": "real_airflow",
    "SeedError": "seeding",
    "StoredTaskInstance": "store",
    "TaskInstanceKey": "store",
    "TaskInstanceStore": "store",
    "User": "auth",
    "json_response": "mock_transport",
    "load_seed_file": "seeding",
    "recent_failures": "sample_data",
    "sample_dags": "sample_dags",
    "sample_task_instances": "sample_data",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f".{home}", __name__), name)

"""A real Apache Airflow (2.10.5 or 3.3.2) on 127.0.0.1, for integration tests of DAGs and jobs.

No Docker, no database server: each pinned version is installed once into a virtual environment
of its own (cached; --airflow-venvs or $SDK_AIRFLOW_VENVS move the cache), and each server gets
a fresh home with SQLite and copies of the given DAG folders, an API server and a scheduler.

    from airflow_python_sdk.testing.real_airflow import running_servers

    with running_servers(["3"], [Path("dags")]) as servers:
        airflow = servers["3.3.2"]
        finished = airflow.run_dag("my_dag")

pytest users get the same from the `airflow_real` fixture (`--airflow-real=3 --airflow-dags=dags`);
`python -m airflow_python_sdk.testing.real_airflow --version 3 --dags dags` starts one by hand.
Linux only: processes are found and stopped through /proc.
"""

from __future__ import annotations

from .dag_run_state import DagRunTimeout, FinishedRun
from .dag_runs import DagNotFound, TriggeredRun
from .environment import Credentials
from .install import RegistryUnreachable
from .processes import CommandFailed
from .server_handle import RealAirflow
from .servers import running_servers
from .versions import AIRFLOW_2, AIRFLOW_3, SUPPORTED, AirflowVersion, lookup

__all__ = [
    "AIRFLOW_2",
    "AIRFLOW_3",
    "SUPPORTED",
    "AirflowVersion",
    "CommandFailed",
    "Credentials",
    "DagNotFound",
    "DagRunTimeout",
    "FinishedRun",
    "RealAirflow",
    "RegistryUnreachable",
    "TriggeredRun",
    "lookup",
    "running_servers",
]

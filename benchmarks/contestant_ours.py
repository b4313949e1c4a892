"""Our SDK, driven through the same documented interface as the original client.

Runs inside the project's .venv with the repository on PYTHONPATH (run_all.py sets it).
"""

from __future__ import annotations

import datetime as dt
import importlib
import sys
from typing import Any, Optional

import documented_client
import fixtures
from sinks import ByteSink
from urllib3 import HTTPHeaderDict

import airflow_python_sdk
from airflow_python_sdk.api import task_instance_api
from airflow_python_sdk.api_client import ApiClient
from airflow_python_sdk.configuration import Configuration
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

NAME = "ours"
# It has TaskInstanceApi.bulk_task_instances and the embedded server (bench_bulk_endpoint.py).
HAS_BULK_ENDPOINT = True
EXECUTION_DATE = dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
STREAM_CHUNK = 64 * 1024


# Built once: the transport, not the model layer, makes a response's headers.
_JSON_HEADERS = HTTPHeaderDict({"Content-Type": "application/json"})


class _Answer:
    """What ApiClient.deserialize reads from a response, with the header type urllib3 gives."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.status = 200
        self.headers = _JSON_HEADERS

    def getheader(self, name: str, default: Optional[str] = None) -> Optional[str]:
        return self.headers.get(name, default)


def describe() -> str:
    version = getattr(airflow_python_sdk, "__version__", "?")
    where = next(iter(getattr(airflow_python_sdk, "__path__", ["?"])))
    return f"airflow_python_sdk {version} (ours, {where})"


def make_api_client(host: Optional[str] = None, pool_size: int = 8) -> Any:
    return documented_client.make_api_client(Configuration, ApiClient, host, pool_size)


def deserializer() -> Any:
    return documented_client.deserializer(make_api_client(), _Answer, TaskInstance)


def serializer() -> Any:
    return documented_client.serializer(make_api_client())


def task_instance_model() -> Any:
    return deserializer()(fixtures.TASK_INSTANCE_BYTES)


def make_api(host: str, pool_size: int = 8) -> Any:
    return task_instance_api.TaskInstanceApi(make_api_client(host, pool_size))


def get_task_instance(api: Any) -> Any:
    return api.get_task_instance(fixtures.DAG_ID, fixtures.TASK_ID, EXECUTION_DATE)


if hasattr(task_instance_api.TaskInstanceApi, "iter_task_instances"):
    # The paging benchmark (bench_paging.py) measures this once the API has it; without it,
    # that step reports only the floor.

    def iter_task_instances(api: Any, dag_id: str, page_size: int) -> Any:
        return api.iter_task_instances(dag_id, page_size=page_size)


def set_state(api: Any) -> Any:
    body = TaskInstance(state=TaskState("success"))
    return api.update_task_instance(
        fixtures.DAG_ID, fixtures.TASK_ID, EXECUTION_DATE, body, update_mask=["state"]
    )


def get_logs(api: Any, mib: int) -> Any:
    return api.get_logs(fixtures.DAG_ID, fixtures.TASK_ID, EXECUTION_DATE,
                        fixtures.log_try_number(mib), full_content=True)


class _TextSink:
    """A text file that keeps nothing, for the SDK's helper that writes text."""

    def __init__(self, sink: ByteSink) -> None:
        self.sink = sink

    def write(self, text: str) -> int:
        return self.sink.write(text.encode("utf-8"))

    def flush(self) -> None:
        pass


def stream_logs(api: Any, mib: int, sink: ByteSink) -> int:
    """The SDK's documented streaming path: airflow_python_sdk.log_follow.iter_log_chunks when it
    exists, else log_follow.write_logs (what the CLI's `logs --output` uses)."""
    try:
        streaming = importlib.import_module("airflow_python_sdk.log_follow")
        helper = streaming.iter_log_chunks
    except (ImportError, AttributeError):
        helper = None
    if helper is not None:
        written = 0
        for piece in helper(api, fixtures.DAG_ID, fixtures.TASK_ID, EXECUTION_DATE,
                            fixtures.log_try_number(mib)):
            written += sink.write(piece if isinstance(piece, bytes) else piece.encode())
        return written
    log_follow = importlib.import_module("airflow_python_sdk.log_follow")
    return int(
        log_follow.write_logs(
            api, fixtures.DAG_ID, fixtures.TASK_ID, EXECUTION_DATE, fixtures.log_try_number(mib),
            out=_TextSink(sink)
        )
    )


def cli_logs_command(host: str, mib: int, output: str) -> list[str]:
    """The CLI writing one log to a file: `airflow-sdk logs ... --output FILE`."""
    return [
        sys.executable,
        "-m",
        "airflow_python_sdk",
        "logs",
        fixtures.DAG_ID,
        fixtures.TASK_ID,
        fixtures.EXECUTION_DATE,
        "--try",
        str(fixtures.log_try_number(mib)),
        "--output",
        output,
        "--host",
        host,
        "--user",
        "admin",
    ]


def cli_set_state_command(host: str, workers: int) -> list[str]:
    """The CLI's bulk state change; the execution dates come on stdin, one a line."""
    return [
        sys.executable,
        "-m",
        "airflow_python_sdk",
        "set-state",
        fixtures.DAG_ID,
        fixtures.TASK_ID,
        "-",
        "--state",
        "success",
        "--workers",
        str(workers),
        "--no-progress",
        "--host",
        host,
        "--user",
        "admin",
    ]

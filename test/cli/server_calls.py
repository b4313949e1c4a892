"""The requests the embedded server answered for the command's operations: its log without the
`/version` questions the command asks first (no dialect given: auto)."""

from __future__ import annotations

from airflow_python_sdk.testing.request_log import RecordedRequest
from airflow_python_sdk.testing.server import AirflowApiServer


def _is_version(entry: RecordedRequest) -> bool:
    return entry.path.endswith("/version")


def operation_requests(server: AirflowApiServer) -> list[RecordedRequest]:
    return [entry for entry in server.request_log.entries() if not _is_version(entry)]


def version_requests(server: AirflowApiServer) -> list[RecordedRequest]:
    return [entry for entry in server.request_log.entries() if _is_version(entry)]

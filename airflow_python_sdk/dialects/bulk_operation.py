"""`bulk_task_instances` on real Airflow servers: natively where the server has the bulk
endpoint (Airflow 3.1 and later, see bulk_airflow3.py), one task instance at a time elsewhere
(Airflow 2, and Airflow 3.0, found by the 405 of its first request; see bulk_one_by_one.py).
Either way the entities are checked first (bulk_change.py) and every task instance gets its own
result.

With `_preload_content=False` the caller reads the server's answer itself, so there is one
request only: at most `CHUNK_SIZE` task instances, in the server's own answer shape, and nothing
read from it; a server without the endpoint has no such one answer to give.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk.dialects.bulk_airflow3 import (
    NoBulkEndpoint,
    change_chunk,
    native_body,
    native_path,
)
from airflow_python_sdk.dialects.bulk_change import (
    CHUNK_SIZE,
    OPERATION,
    Entity,
    Tally,
    change_in_chunks,
    finish,
    read_entities,
)
from airflow_python_sdk.dialects.bulk_one_by_one import change_one_by_one
from airflow_python_sdk.dialects.outcome import Outcome

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect

__all__ = ["bulk_task_instances"]


def bulk_task_instances(dialect: RealAirflowDialect, call: Call) -> Outcome:
    entities = read_entities(call.request.body)
    call.run_id = str(call.arguments["dag_run_id"])
    if not call.preload:
        return _left_unread(dialect, call, entities)
    url = redact_url(call.base + native_path(call))
    if dialect.has_bulk_endpoint:
        tally = Tally(entities)
        try:
            cause = change_in_chunks(
                tally, lambda chunk: change_chunk(dialect, call, tally, chunk))
        except NoBulkEndpoint:
            # Airflow 3.0: nothing was changed; every later call goes one at a time too.
            dialect.has_bulk_endpoint = False
        else:
            return finish(call.codec, call.check, call.dag_id, call.run_id, tally, cause,
                          "PATCH", url)
    tally = Tally(entities)
    cause = change_one_by_one(dialect, call, tally)
    return finish(call.codec, call.check, call.dag_id, call.run_id, tally, cause, "PATCH", url)


def _left_unread(dialect: RealAirflowDialect, call: Call, entities: list[Entity]) -> Outcome:
    if not dialect.has_bulk_endpoint:
        raise ApiValueError(
            f"{OPERATION}: {dialect.server} has no bulk endpoint, so the change is one request "
            "per task instance and there is no one answer to leave unread; call it with "
            "_preload_content=True; nothing was sent",
            path_to_item=[OPERATION, "_preload_content"])
    if len(entities) > CHUNK_SIZE:
        raise ApiValueError(
            f"{OPERATION}: with _preload_content=False the change is one request, which holds "
            f"at most {CHUNK_SIZE} task instances; this one names {len(entities)}; nothing was "
            "sent", path_to_item=[OPERATION, "_preload_content"])
    answer = dialect.send(call, "PATCH", native_path(call), body=native_body(entities),
                          preload=False)
    return Outcome(None, answer.response)

"""`bulk_task_instances` on a server built from openapi.yaml (the embedded one): the spec's own
request, one chunk of task instances at a time, and the spec's answer, each task instance's own
result (`BulkTaskInstanceResponse`), checked against what was sent.

A result names its task instance (task id and map index); one that names none sent is ignored.
A task instance the answer does not name, or a result that cannot be read, is `unknown` (the
server may have changed it), and stops the change: a server whose answer cannot be trusted gets
no more requests. A result value the spec does not list (a newer server's) is kept, and is not
done. With `_preload_content=False` there is one request (at most `CHUNK_SIZE` task instances),
answered unread.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk._operation import CallOptions, Endpoint, PreparedRequest
from airflow_python_sdk.dialects.bulk_change import (
    CHUNK_SIZE,
    OPERATION,
    Entity,
    Tally,
    change_in_chunks,
    finish,
    read_entities,
)
from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.dialects.outcome import Outcome
from airflow_python_sdk.dialects.wire import exchange

__all__ = ["change_on_spec_server"]

_RESULTS = ("changed", "unchanged", "failed", "unknown", "not_attempted")


def change_on_spec_server(channel: Channel, endpoint: Endpoint, arguments: Mapping[str, Any],
                          options: CallOptions, request: PreparedRequest,
                          base: str) -> Outcome:
    entities = read_entities(request.body)
    if not options._preload_content:
        if len(entities) > CHUNK_SIZE:
            raise ApiValueError(
                f"{OPERATION}: with _preload_content=False the change is one request, which "
                f"holds at most {CHUNK_SIZE} task instances; this one names {len(entities)}; "
                "nothing was sent", path_to_item=[OPERATION, "_preload_content"])
        return Outcome(None, channel.send(request, options, base, auth=endpoint.auth))
    dag_id, run_id = str(arguments["dag_id"]), str(arguments["dag_run_id"])
    tally = Tally(entities)
    auth = channel.auth_headers(endpoint.auth)

    def settle_chunk(chunk: list[Entity]) -> None:
        answer = exchange(channel, "PATCH", base, request.path, options, headers=auth,
                          body=_body(chunk))
        tally.response = answer.response
        _read(tally, chunk, answer.document, answer.status)

    cause = change_in_chunks(tally, settle_chunk)
    return finish(channel.codec, options._check_return_type, dag_id, run_id, tally, cause,
                  "PATCH", redact_url(base + request.path))


def _body(chunk: list[Entity]) -> dict[str, Any]:
    return {"actions": [{"action": "update", "entities": [
        {"task_id": entity.task_id, "map_index": entity.map_index,
         "new_state": entity.new_state} for entity in chunk]}]}


def _read(tally: Tally, chunk: list[Entity], document: Any, status: int) -> None:
    """Settle each task instance of `chunk` its result names; `unknown` for the others."""
    listed = document.get("task_instances") if isinstance(document, dict) else None
    by_key = {entity.key: entity for entity in chunk}
    for item in listed if isinstance(listed, list) else ():
        if not isinstance(item, dict):
            continue
        task_id, index = item.get("task_id"), item.get("map_index")
        index = -1 if index is None else index
        entity = (by_key.get((task_id, index))
                  if isinstance(task_id, str) and isinstance(index, int) else None)
        if entity is None:
            continue  # not one this request named
        result = item.get("result")
        if not isinstance(result, str):
            tally.settle(entity, "unknown", status, f"its result cannot be read: {result!r}")
            continue
        if result in _RESULTS[:2]:
            tally.settle(entity, result)
            continue
        tally.settle(entity, result, _status(item.get("status")), _error(item.get("error")))
    for entity in tally.unsettled(chunk):
        tally.settle(entity, "unknown", status,
                     "the answer does not say what became of it (it may have changed)")


def _status(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _error(value: Any) -> str:
    return value[:500] if isinstance(value, str) and value else "the server gave no reason"

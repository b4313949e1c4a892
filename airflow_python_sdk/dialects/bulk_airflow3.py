"""A bulk change on Airflow 3.3: `PATCH /dags/{dag}/dagRuns/{run}/taskInstances`, one chunk of
task instances at a time, each task instance's result read from its answer.

What Airflow 3.3 does with `{"actions": [{"action": "update", "entities": [...],
"action_on_non_existence": "skip"}]}` (each entity a task id, a map index and a new state), and
how each result is read:
- it changes the named task instances one after another and answers 200 with
  `{"update": {"success": ["<dag>.<run>.<task>[<map index>]", ...], "errors": [...]}}`: a key
  in `success` is `changed`;
- a task instance the run does not have is skipped without a word (`skip`: with `fail`, one
  missing task instance would fail the whole action): left out of both lists, it is `failed`
  with 404 when the answer has no error;
- the first error ends the action (`{"error": "...", "status_code": 409}`), leaving the task
  instances after it untouched and unnamed. The commonest is 409, a task instance already in its
  new state. So after an answer with errors, the states of the task instances it did not name
  are read (the batch list, one request per 100): one already in its new state is `unchanged`,
  one the run does not have is `failed` (404), and the others are sent again. An error that
  names a task (`Task 'x' not found in Dag`, or a task_id field) fails that task's task
  instances; a 401 or 403 fails them all. When an answer settles none of them, the chunk is
  halved until the task instance that stops it is alone: its result is that error. Every round
  settles one task instance at least or halves the chunk, so a chunk of n ends within 2n
  requests, whatever the server answers.
- a `success` key the SDK cannot match to a task instance it sent, or an answer without these
  lists, cannot say what was changed: the task instances not yet settled are `unknown`.
A server without the endpoint (Airflow 3.0) answers 405 to the first request, which changed
nothing; `NoBulkEndpoint` says so, and the change goes one task instance at a time.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any, Optional

from airflow_python_sdk._errors import ApiException
from airflow_python_sdk._operation import encode_path_segment as segment
from airflow_python_sdk.dialects.bulk_change import Entity, Tally
from airflow_python_sdk.dialects.errors import with_problem
from airflow_python_sdk.dialects.wire import Answer

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect

__all__ = ["NoBulkEndpoint", "change_chunk", "native_body", "native_path"]

_KEY = re.compile(r"(.*)\[(-?[0-9]{1,9})\]", re.DOTALL)
_TASK_NOT_IN_DAG = re.compile(r"Task '(.*)' not found in Dag '.*'", re.DOTALL)
_BATCH_PATH = "/dags/~/dagRuns/~/taskInstances/list"
_PAGE = 100
_MOST_PAGES = 100  # a state read stops there (10,000 task instances); the rest are sent again


class NoBulkEndpoint(Exception):
    """The server answered the first bulk request 405: it has no such endpoint, and nothing
    was changed."""


def native_path(call: Call) -> str:
    return f"/dags/{segment(call.dag_id)}/dagRuns/{segment(call.run_id or '')}/taskInstances"


def native_body(entities: list[Entity]) -> dict[str, Any]:
    return {"actions": [{
        "action": "update",
        "action_on_non_existence": "skip",
        "entities": [{"task_id": entity.task_id, "map_index": entity.map_index,
                      "new_state": entity.new_state} for entity in entities],
    }]}


def change_chunk(dialect: RealAirflowDialect, call: Call, tally: Tally,
                 chunk: list[Entity]) -> None:
    """Settle every task instance of `chunk`; a request that fails raises its error."""
    work = [chunk]
    while work:
        pending = tally.unsettled(work.pop())
        if not pending:
            continue
        answer = _send(dialect, call, tally, pending)
        tally.response = answer.response
        errors = _read_answer(tally, pending, answer, f"{call.dag_id}.{call.run_id}.")
        rest = tally.unsettled(pending)
        if rest and errors is not None:
            _attribute(tally, rest, errors)
            rest = tally.unsettled(rest)
        if rest and errors:
            _read_states(dialect, call, tally, rest)
            rest = tally.unsettled(rest)
        if not rest:
            continue
        if len(rest) < len(pending):
            work.append(rest)  # some were settled: send the others again
        elif len(rest) == 1:
            status, text = _first_error(errors or [])
            tally.settle(rest[0], "failed", status, text)
        else:
            half = len(rest) // 2
            work.extend([rest[half:], rest[:half]])  # the first half goes first


def _send(dialect: RealAirflowDialect, call: Call, tally: Tally,
          pending: list[Entity]) -> Answer:
    try:
        return dialect.send(call, "PATCH", native_path(call), body=native_body(pending))
    except ApiException as error:
        if error.status == 405 and tally.response is None and not any(
                tally.result_of(entity) for entity in tally.entities):
            raise NoBulkEndpoint() from error
        context = (f"DAG run {call.run_id!r} of DAG {call.dag_id!r} not found"
                   if error.status == 404 else None)
        raise with_problem(error, context) from None


def _read_answer(tally: Tally, pending: list[Entity], answer: Answer,
                 prefix: str) -> Optional[list[Any]]:
    """Settle the task instances the answer names as changed; its errors, or None (with every
    task instance not yet settled `unknown`) when it cannot say what it changed."""
    document = answer.document
    update = document.get("update") if isinstance(document, dict) else None
    success = update.get("success") if isinstance(update, dict) else None
    errors = update.get("errors", []) if isinstance(update, dict) else None
    if not isinstance(success, list) or not isinstance(errors, list):
        _unknown(tally, pending, answer.status, "the answer does not list what was changed "
                 "(no update.success and update.errors lists)")
        return None
    by_key = {entity.key: entity for entity in pending}
    for text in success:
        key = _parsed_key(text, prefix) if isinstance(text, str) else None
        entity = None if key is None else by_key.get(key)
        if entity is None:
            _unknown(tally, pending, answer.status, f"the answer lists a change that names no "
                     f"task instance sent: {str(text)[:200]!r}")
            return None
        tally.settle(entity, "changed")
    if not errors:
        for entity in tally.unsettled(pending):
            tally.settle(entity, "failed", 404, f"the run has no task instance {entity.label!r}; "
                         "the server skipped it")
    return errors


def _parsed_key(text: str, prefix: str) -> Optional[tuple[str, int]]:
    if not text.startswith(prefix):
        return None
    found = _KEY.fullmatch(text[len(prefix):])
    return None if found is None else (found.group(1), int(found.group(2)))


def _unknown(tally: Tally, pending: list[Entity], status: int, why: str) -> None:
    for entity in tally.unsettled(pending):
        tally.settle(entity, "unknown", status, why)


def _error_parts(error: Any) -> tuple[Optional[int], str]:
    if not isinstance(error, dict):
        return None, str(error)[:500]
    status = error.get("status_code")
    text = error.get("error")
    return (status if isinstance(status, int) and not isinstance(status, bool) else None,
            (text if isinstance(text, str) else str(error))[:500])


def _first_error(errors: list[Any]) -> tuple[Optional[int], str]:
    if not errors:
        return None, "the server stopped before it and gave no reason"
    return _error_parts(errors[0])


def _attribute(tally: Tally, rest: list[Entity], errors: list[Any]) -> None:
    """Settle the task instances an error names: by a task_id (and map_index) field, by
    `Task '<id>' not found in Dag`, or all of them for a 401 or 403 (every one is of one DAG)."""
    for error in errors:
        status, text = _error_parts(error)
        named = error.get("task_id") if isinstance(error, dict) else None
        found = _TASK_NOT_IN_DAG.fullmatch(text)
        for entity in tally.unsettled(rest):
            if isinstance(named, str):
                index = error.get("map_index")
                hit = entity.task_id == named and (not isinstance(index, int)
                                                   or index == entity.map_index)
            elif found is not None:
                hit = entity.task_id == found.group(1)
            else:
                hit = status in (401, 403)
            if hit:
                tally.settle(entity, "failed", status, text)


def _read_states(dialect: RealAirflowDialect, call: Call, tally: Tally,
                 rest: list[Entity]) -> None:
    """Read the states of `rest`: one already in its new state is `unchanged`, one the run
    does not have is `failed` (404); the others stay pending, to be sent again."""
    states: dict[tuple[str, int], Any] = {}
    body: dict[str, Any] = {"dag_ids": [call.dag_id], "dag_run_ids": [call.run_id],
                            "task_ids": sorted({entity.task_id for entity in rest}),
                            "page_limit": _PAGE}
    complete = False
    for page in range(_MOST_PAGES):
        body["page_offset"] = page * _PAGE
        try:
            answer = dialect.send(call, "POST", _BATCH_PATH, body=body)
        except ApiException as error:
            raise with_problem(error, "reading the states of the task instances the bulk "
                                      "change did not name") from None
        document = answer.document if isinstance(answer.document, dict) else {}
        listed = document.get("task_instances")
        listed = listed if isinstance(listed, list) else []
        for item in listed:
            if isinstance(item, dict) and isinstance(item.get("task_id"), str):
                index = item.get("map_index")
                states[(item["task_id"], index if isinstance(index, int) else -1)] = (
                    item.get("state"))
        total = document.get("total_entries")
        if len(listed) < _PAGE or (isinstance(total, int) and (page + 1) * _PAGE >= total):
            complete = True
            break
    for entity in rest:
        if entity.key in states:
            if states[entity.key] == entity.new_state:
                tally.settle(entity, "unchanged")
        elif complete:
            tally.settle(entity, "failed", 404,
                         f"the run has no task instance {entity.label!r}")

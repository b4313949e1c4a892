"""A bulk change of task instances of one DAG run (`bulk_task_instances`), whichever server makes
it: what every way of making it shares.

- The body is read and checked before anything is sent (`read_entities`): each entity names a
  task instance (task id, map index, -1 when unmapped) and a state a server takes (success,
  failed, skipped); one named twice, or none at all, is refused.
- The entities go in chunks of `CHUNK_SIZE` (`change_in_chunks`): Airflow 3.3 states no limit,
  but it changes them one after another in one database transaction (about 10 s per 100 on
  SQLite), so a request of a thousand would outlast the SDK's 60 s read timeout.
- Each task instance's own result is kept in a `Tally`. A request that fails settles the
  task instances it held (a 4xx: failed, nothing changed; a request that may have reached the
  server: unknown) and stops the change: the rest are not attempted. An answer that cannot say
  what it did stops it too.
- `finish` answers the spec's `BulkTaskInstanceResponse` when every task instance is done, and
  raises `BulkChangeException` with that answer otherwise: a partial change is never a success.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Callable, Optional, Union

from airflow_python_sdk._errors import (
    ApiConnectionError,
    ApiException,
    ApiTypeError,
    ApiValueError,
    BulkChangeException,
)
from airflow_python_sdk.dialects.codec import Codec
from airflow_python_sdk.dialects.outcome import Outcome
from airflow_python_sdk.dialects.state_change import SETTABLE_STATES
from airflow_python_sdk.model.bulk_task_instance_response import BulkTaskInstanceResponse
from airflow_python_sdk.transport import Response
from airflow_python_sdk.transport.failures import may_have_reached_server

__all__ = ["CHUNK_SIZE", "OPERATION", "Entity", "Tally", "change_in_chunks", "read_entities",
           "request_failed", "short_text"]

OPERATION = "bulk_task_instances"
BODY = "bulk_body_bulk_task_instance_body"
CHUNK_SIZE = 100
DONE = ("changed", "unchanged")
Where = list[Union[str, int]]
# How many task instances of each kind an error message names; `result` has them all.
_NAMED = 10


@dataclass(frozen=True)
class Entity:
    """One task instance a bulk change names, and its place among them."""

    index: int
    task_id: str
    map_index: int
    new_state: str

    @property
    def key(self) -> tuple[str, int]:
        return self.task_id, self.map_index

    @property
    def label(self) -> str:
        return self.task_id if self.map_index == -1 else f"{self.task_id}[{self.map_index}]"


@dataclass(frozen=True)
class ItemResult:
    result: str  # changed, unchanged, failed, unknown, not_attempted
    status: Optional[int] = None
    error: Optional[str] = None


def read_entities(body: Any) -> list[Entity]:
    """The task instances the body names, checked; ApiValueError/ApiTypeError naming the first
    problem, before anything is sent."""
    if not isinstance(body, Mapping):
        # Only reachable with _check_input_type=False and a body that is not the model.
        raise ApiTypeError(f"Invalid type for `{BODY}`: expected a JSON object, got "
                           f"{type(body).__name__}", path_to_item=[BODY])
    actions = _listed(body, "actions", [BODY])
    entities: list[Entity] = []
    seen: dict[tuple[str, int], Where] = {}
    for number, action in enumerate(actions):
        where: Where = [BODY, "actions", number]
        if not isinstance(action, Mapping):
            raise ApiTypeError(f"Invalid type for `{_path(where)}`: expected a JSON object",
                               path_to_item=where)
        if action.get("action") != "update":
            raise ApiValueError(f"Invalid value for `{_path([*where, 'action'])}`: "
                                f"{action.get('action')!r}; a bulk change of task instances "
                                "updates them (`update`)", path_to_item=[*where, "action"])
        for place, item in enumerate(_listed(action, "entities", where)):
            entity = _entity(len(entities), item, [*where, "entities", place])
            if entity.key in seen:
                raise ApiValueError(
                    f"Invalid value for `{_path([*where, 'entities', place])}`: task instance "
                    f"{entity.label!r} is named twice (first at {_path(seen[entity.key])}); "
                    "each gets one result, so name it once", path_to_item=where)
            seen[entity.key] = [*where, "entities", place]
            entities.append(entity)
    if not entities:
        raise ApiValueError(f"{OPERATION}: no task instance is named; nothing was sent",
                            path_to_item=[BODY, "actions"])
    return entities


def _listed(document: Mapping[str, Any], name: str, where: Where) -> list[Any]:
    value = document.get(name)
    if not isinstance(value, list):
        raise ApiValueError(f"Invalid value for `{_path([*where, name])}`: expected a list, "
                            f"got {type(value).__name__}", path_to_item=[*where, name])
    return value


def _entity(index: int, item: Any, where: Where) -> Entity:
    if not isinstance(item, Mapping):
        raise ApiTypeError(f"Invalid type for `{_path(where)}`: expected BulkTaskInstanceBody",
                           path_to_item=where)
    task_id = item.get("task_id")
    if not isinstance(task_id, str) or not task_id:
        raise ApiValueError(f"Invalid value for `{_path([*where, 'task_id'])}`: {task_id!r}; "
                            "name a task", path_to_item=[*where, "task_id"])
    map_index = item.get("map_index")
    map_index = -1 if map_index is None else map_index
    if isinstance(map_index, bool) or not isinstance(map_index, int) or map_index < -1:
        raise ApiValueError(f"Invalid value for `{_path([*where, 'map_index'])}`: "
                            f"{map_index!r}; a map index is -1 (unmapped) or more",
                            path_to_item=[*where, "map_index"])
    state = item.get("new_state")
    if state not in SETTABLE_STATES:
        shown = "None" if state is None else repr(str(state))
        raise ApiValueError(f"Invalid value for `{_path([*where, 'new_state'])}`: {shown}; "
                            f"a server sets a task instance to {', '.join(SETTABLE_STATES)}",
                            path_to_item=[*where, "new_state"])
    return Entity(index, task_id, map_index, str(state))


def _path(where: Sequence[Union[str, int]]) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}"
                   for part in where).lstrip(".")


class Tally:
    """Each task instance's result so far. The first result given to one stays."""

    def __init__(self, entities: Sequence[Entity]) -> None:
        self.entities = list(entities)
        self._results: dict[int, ItemResult] = {}
        self.response: Optional[Response] = None  # the last answer read
        self.stopped: Optional[str] = None  # why the rest were not attempted

    def settle(self, entity: Entity, result: str, status: Optional[int] = None,
               error: Optional[str] = None) -> None:
        self._results.setdefault(entity.index, ItemResult(result, status, error))

    def unsettled(self, entities: Sequence[Entity]) -> list[Entity]:
        return [entity for entity in entities if entity.index not in self._results]

    def result_of(self, entity: Entity) -> Optional[ItemResult]:
        return self._results.get(entity.index)

    def items(self) -> list[tuple[Entity, ItemResult]]:
        """Every task instance with its result, in the order they were named; one without a
        result was not attempted."""
        never = ItemResult("not_attempted", None,
                           f"not sent: {self.stopped or 'the change stopped before it'}")
        return [(entity, self._results.get(entity.index, never)) for entity in self.entities]

    def all_done(self) -> bool:
        return all(item.result in DONE for _, item in self.items())


def short_text(error: ApiException) -> str:
    """An error in a few words, for one task instance's result."""
    if isinstance(error, ApiConnectionError):
        return error.message
    problem = error.error
    if problem is not None:
        detail = problem.get("detail")
        title = problem.get("title") or error.reason or ""
        text = f"{error.status} {title}".strip()
        return f"{text}: {detail}" if detail not in (None, "") else text
    return str(error)


def request_failed(tally: Tally, held: Sequence[Entity], error: ApiException) -> None:
    """Settle the task instances a failed request held, and stop the change: a 4xx (or no
    connection at all) changed none of them; any other failure may have changed them."""
    refused = 400 <= error.status < 500 or not may_have_reached_server(error)
    why = short_text(error)
    if not refused:
        why = f"the request holding it failed, and may have changed it: {why}"
    for entity in tally.unsettled(held):
        tally.settle(entity, "failed" if refused else "unknown", error.status, why)
    tally.stopped = f"an earlier request of this change failed ({short_text(error)})"


def change_in_chunks(tally: Tally, settle_chunk: Callable[[list[Entity]], None]
                     ) -> Optional[ApiException]:
    """Send the task instances chunk after chunk, `settle_chunk` settling each chunk's results;
    the error of the request that stopped the change, if one did."""
    entities = tally.entities
    for start in range(0, len(entities), CHUNK_SIZE):
        chunk = entities[start:start + CHUNK_SIZE]
        try:
            settle_chunk(chunk)
        except ApiException as error:
            request_failed(tally, chunk, error)
            return error
        unsettled = tally.unsettled(chunk)
        for entity in unsettled:  # settle_chunk leaves none, unless it has a bug
            tally.settle(entity, "unknown", None, "the answer did not say what became of it")
        if any(item.result == "unknown" for item in map(tally.result_of, chunk)
               if item is not None):
            tally.stopped = "an earlier answer did not say what it changed"
            return None
    return None


def finish(codec: Codec, check: bool, dag_id: str, run_id: str, tally: Tally,
           cause: Optional[ApiException], method: str, url: str) -> Outcome:
    """The call's answer when every task instance is done; BulkChangeException otherwise."""
    document = {
        "dag_id": dag_id,
        "dag_run_id": run_id,
        "task_instances": [
            {"task_id": entity.task_id, "map_index": entity.map_index,
             "new_state": entity.new_state, "result": item.result, "status": item.status,
             "error": item.error}
            for entity, item in tally.items()
        ],
    }
    result = codec.to_type(document, BulkTaskInstanceResponse, check)
    if tally.all_done() and tally.response is not None:
        return Outcome(result, tally.response)
    raise BulkChangeException(_summary(dag_id, run_id, tally), result, cause=cause,
                              status=_status(tally, cause), method=method, url=url) from cause


def _status(tally: Tally, cause: Optional[ApiException]) -> int:
    """The status of the error: the cause's; else that of the last answer (200 with failures
    in it); else, when every request failed on its own (one per task instance), the first
    failure's."""
    if cause is not None:
        return cause.status
    if tally.response is not None:
        return tally.response.status
    return next((item.status for _, item in tally.items() if item.status), 0)


def _summary(dag_id: str, run_id: str, tally: Tally) -> str:
    items = tally.items()
    by_result: dict[str, list[tuple[Entity, ItemResult]]] = {}
    for entity, item in items:
        by_result.setdefault(item.result, []).append((entity, item))
    changed = len(by_result.get("changed", ()))
    unchanged = len(by_result.get("unchanged", ()))
    text = (f"{OPERATION}: {changed + unchanged} of {len(items)} task instances of run "
            f"{run_id!r} of DAG {dag_id!r} done ({changed} changed, {unchanged} had the new state "
            "already)")
    wording = {"failed": "failed, not changed", "unknown": "may have changed",
               "not_attempted": "not attempted"}
    for result, group in by_result.items():
        if result in DONE:
            continue
        named = ", ".join(f"{entity.label} ({item.error or 'no reason given'})"
                          for entity, item in group[:_NAMED])
        more = f", and {len(group) - _NAMED} more" if len(group) > _NAMED else ""
        text += f"; {len(group)} {wording.get(result, repr(result))}: {named}{more}"
    return text + "; the exception's `result` has each task instance's own result"

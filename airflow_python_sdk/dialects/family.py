"""The task-instance family on real Airflow servers: lists, clear, bulk state, DAG runs, tries,
XCom. Each function is one operation of `RealAirflowDialect` (registered by
`family_operations`) and answers an `Outcome`.

What differs between the servers, and how each function hides it:
- dates: the spec's `execution_date_gte/lte` filters are Airflow 3's `logical_date_gte/lte`,
  and `order_by=execution_date` is its `logical_date`;
- long id lists: a list filtered by task ids (Airflow 2 has no such query parameter, Airflow 3
  takes one id) or with a query too long for a URL is asked with the batch POST
  `/dags/~/dagRuns/~/taskInstances/list`, which both servers have, paging with
  `page_offset`/`page_limit`;
- sorting: Airflow 2 cannot sort task instances (its list has one fixed order), so an
  `order_by` other than the pagers' `execution_date` is refused there before sending;
- walking: the pages an `iter_...` walk asks for (see _operation/page_position.py) go by
  `cursor` instead of `offset` on Airflow 3 (3.3 and later answer `next_cursor`; earlier ones
  ignore it and the walk goes on by offset), for the GET lists of task instances and DAG runs;
- page size: a list answer with more items than its `limit` is refused before it is mapped;
- dry runs: the spec's `dry_run` field is sent as it is to Airflow 2's clear and bulk state and
  to Airflow 3's clear; Airflow 3 changes a state with a PATCH that refuses a `dry_run` field
  (422) and has a `/dry_run` path for the dry run instead (see family_actions.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional

from airflow_python_sdk._errors import (
    ApiException,
    NotFoundException,
    UnsupportedOperationException,
)
from airflow_python_sdk._operation import encode_path_segment as segment
from airflow_python_sdk._operation import encode_query
from airflow_python_sdk._operation.page_position import PagePosition, current_page_position
from airflow_python_sdk._operation.paging import PAGE_SIZE, check_page_items
from airflow_python_sdk.dialects import family_answers
from airflow_python_sdk.dialects.errors import with_problem
from airflow_python_sdk.dialects.family_actions import (
    clear_task_instances,
    update_task_instances_state,
)
from airflow_python_sdk.dialects.outcome import Outcome

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect
    from airflow_python_sdk.dialects.wire import Answer

__all__ = ["family_operations"]

# A query longer than this goes in the batch POST's body instead: proxies and servers refuse
# URLs of a few kilobytes.
_LONGEST_QUERY = 2000
_BATCH_PATH = "/dags/~/dagRuns/~/taskInstances/list"
# The spec's list filters that are lists (several values), as the batch body names them.
_LIST_FILTERS = {"state": "state", "pool": "pool", "queue": "queue", "task_id": "task_ids"}
_NUMBER_FILTERS = ("duration_gte", "duration_lte")


def family_operations(dialect: RealAirflowDialect) -> dict[str, Callable[[Call], Outcome]]:
    """The family's operations, bound to `dialect`, by operation id."""

    def bound(operation: Callable[[RealAirflowDialect, Call], Outcome]
              ) -> Callable[[Call], Outcome]:
        return lambda call: operation(dialect, call)

    return {
        "get_task_instances": bound(get_task_instances),
        "clear_task_instances": bound(clear_task_instances),
        "update_task_instances_state": bound(update_task_instances_state),
        "get_dag_runs": bound(get_dag_runs),
        "get_dag_run": bound(get_dag_run),
        "get_task_instance_tries": bound(get_task_instance_tries),
        "get_x_com_values": bound(get_x_com_values),
        "get_x_com_value": bound(get_x_com_value),
    }


def server_names(dialect: RealAirflowDialect, query: Sequence[tuple[str, str]]
                 ) -> list[tuple[str, str]]:
    """The spec's query with the server's names for the execution date and its ordering, and
    the spec's default page size (100) when the call gives none: Airflow 3's is 50."""
    date = dialect.run_date_filter
    renamed = [] if any(name == "limit" for name, _ in query) else [("limit", str(PAGE_SIZE))]
    for name, value in query:
        if name.startswith("execution_date_"):
            name = date + name[len("execution_date"):]
        elif name == "order_by":
            descending = value.startswith("-")
            field = value.lstrip("-")
            value = ("-" if descending else "") + (date if field == "execution_date" else field)
        renamed.append((name, value))
    return renamed


def _checked_order(dialect: RealAirflowDialect, call: Call) -> None:
    order_by = call.arguments.get("order_by")
    if dialect.can_sort_task_instances or order_by in (None, "execution_date"):
        return
    raise UnsupportedOperationException(
        call.endpoint.operation_id, dialect.server,
        f"{dialect.server} cannot sort task instances (order_by={order_by!r}): its list comes "
        "in one fixed order; leave order_by unset; nothing was sent",
    )


def _batch_body(query: Sequence[tuple[str, str]], dag_id: str) -> dict[str, Any]:
    body: dict[str, Any] = {} if dag_id == "~" else {"dag_ids": [dag_id]}
    for name, value in query:
        if name in _LIST_FILTERS:
            body.setdefault(_LIST_FILTERS[name], []).append(value)
        elif name == "limit":
            body["page_limit"] = int(value)
        elif name == "offset":
            body["page_offset"] = int(value)
        elif name in _NUMBER_FILTERS:
            body[name] = float(value)
        else:
            body[name] = value
    return body


def get_task_instances(dialect: RealAirflowDialect, call: Call) -> Outcome:
    _checked_order(dialect, call)
    query = server_names(dialect, call.request.query)
    if not dialect.can_sort_task_instances:
        query = [(name, value) for name, value in query if name != "order_by"]
    task_ids = [value for name, value in query if name == "task_id"]
    batch = (len(task_ids) > dialect.task_ids_in_query
             or len(encode_query(query)) > _LONGEST_QUERY)
    not_found = f"DAG {call.dag_id!r} not found"
    position = None
    if batch:  # the batch POST has no cursor: a walk goes on by offset
        method = "POST"
        answer = _send_about_dag(dialect, call, method, _BATCH_PATH, not_found,
                                 body=_batch_body(query, call.dag_id))
    else:
        method = "GET"
        path = f"/dags/{segment(call.dag_id)}/dagRuns/~/taskInstances"
        query, position = _by_cursor(dialect, query)
        answer = _send_about_dag(dialect, call, method, path, not_found, query=query)
    return _answered(dialect, answer, method, lambda document: (
        family_answers.task_instance_collection(call.codec, document, call.check)),
        query, position)


def get_dag_runs(dialect: RealAirflowDialect, call: Call) -> Outcome:
    query, position = _by_cursor(dialect, server_names(dialect, call.request.query))
    path = f"/dags/{segment(call.dag_id)}/dagRuns"
    answer = _send_about_dag(dialect, call, "GET", path, f"DAG {call.dag_id!r} not found",
                             query=query)
    return _answered(dialect, answer, "GET", lambda document: (
        family_answers.dag_run_collection(call.codec, document, call.check)), query, position)


def _by_cursor(dialect: RealAirflowDialect, query: list[tuple[str, str]]
               ) -> tuple[list[tuple[str, str]], Optional[PagePosition]]:
    """The query of a page a walk asks for by cursor (see page_position.py), and the position
    to tell what the answer said; the query unchanged for any other call."""
    position = current_page_position()
    if position is None or position.cursor is None or not dialect.walks_by_cursor:
        return query, None
    # With a cursor the server ignores the offset: it is left out rather than sent for nothing.
    return [pair for pair in query if pair[0] != "offset"] + [("cursor", position.cursor)], (
        position)


def get_dag_run(dialect: RealAirflowDialect, call: Call) -> Outcome:
    run_id = str(call.arguments["dag_run_id"])
    path = f"/dags/{segment(call.dag_id)}/dagRuns/{segment(run_id)}"
    answer = _send_about_dag(dialect, call, "GET", path,
                             f"DAG run {run_id!r} of DAG {call.dag_id!r} not found")
    return _answered(dialect, answer, "GET", lambda document: (
        family_answers.dag_run(call.codec, document, call.check)))


def get_task_instance_tries(dialect: RealAirflowDialect, call: Call) -> Outcome:
    answer = dialect.send_about_task_instance(call, "GET", "/tries", preload=call.preload)

    def first_try_first(document: Any) -> Any:
        if isinstance(document, dict) and isinstance(document.get("task_instances"), list):
            # The first try first, as the spec says, whatever order the server used.
            tries = sorted(document["task_instances"], key=_try_number)
            document = {**document, "task_instances": tries}
        return family_answers.task_instance_collection(call.codec, document, call.check,
                                                       execution_date=call.when)

    return _answered(dialect, answer, "GET", first_try_first)


def _try_number(item: Any) -> int:
    number = item.get("try_number") if isinstance(item, Mapping) else None
    return number if isinstance(number, int) else 0


def get_x_com_values(dialect: RealAirflowDialect, call: Call) -> Outcome:
    query = [(name, value) for name, value in server_names(dialect, call.request.query)
             if name in ("limit", "offset")]
    answer = dialect.send_about_task_instance(call, "GET", "/xcomEntries", query=query,
                                              preload=call.preload)
    return _answered(dialect, answer, "GET", lambda document: (
        family_answers.x_com_collection(call.codec, document, call.check)), query)


def get_x_com_value(dialect: RealAirflowDialect, call: Call) -> Outcome:
    key = segment(str(call.arguments["key"]))
    answer = dialect.send_about_task_instance(call, "GET", f"/xcomEntries/{key}",
                                              preload=call.preload)
    return _answered(dialect, answer, "GET", lambda document: (
        family_answers.x_com(call.codec, document, call.check)))


def _send_about_dag(dialect: RealAirflowDialect, call: Call, method: str, path: str,
                    not_found: str, *, query: Optional[list[tuple[str, str]]] = None,
                    body: Any = None) -> Answer:
    """A request about a DAG or one of its runs: a 404 says what was not found, any other
    error keeps the server's problem."""
    try:
        return dialect.send(call, method, path, query=query, body=body, preload=call.preload)
    except NotFoundException as exc:
        raise with_problem(exc, not_found) from None
    except ApiException as exc:
        raise with_problem(exc) from None


def _answered(dialect: RealAirflowDialect, answer: Answer, method: str,
              read: Callable[[Any], Any], query: Optional[Sequence[tuple[str, str]]] = None,
              position: Optional[PagePosition] = None) -> Outcome:
    """The answer unread when the caller asked for it (`_preload_content=False`), else its
    document mapped by `read` onto the spec's model. A list (`query` given) is first checked to
    hold no more items than its `limit` asked for, and what it says of cursors is told to the
    walk's `position`."""
    if answer.response.stream is not None:
        return Outcome(None, answer.response)

    def build() -> Any:
        document = answer.document
        limit = next((value for name, value in query or () if name == "limit"), None)
        if limit is not None and limit.isdigit():
            check_page_items(document, int(limit))
        if position is not None:
            position.read(document)
        return read(document)

    return Outcome(dialect.mapped(answer, method, build), answer.response)

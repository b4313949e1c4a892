"""The task-instance family on real Airflow servers: lists, clear, bulk state, DAG runs, tries,
XCom, and the bulk change of a run's task instances (bulk_operation.py). Each function is one
operation of `RealAirflowDialect` (registered by `family_operations`) and answers an `Outcome`.

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
  (422) and has a `/dry_run` path for the dry run instead (see family_actions.py);
- what the official 2.x client's scripts pass: neither server applies the tries' `limit`,
  `offset` and `order_by`, so the SDK does, on the whole list; Airflow 3's list of runs has no
  `fields`, so the SDK projects each run itself; `updated_at_gte/lte` exist in both servers'
  task-instance list but in neither batch POST, so they cannot go with task ids there.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional

from airflow_python_sdk._errors import (
    UnsupportedOperationException,
)
from airflow_python_sdk._operation import encode_path_segment as segment
from airflow_python_sdk._operation import encode_query
from airflow_python_sdk._operation.page_position import PagePosition, current_page_position
from airflow_python_sdk._operation.paging import PAGE_SIZE
from airflow_python_sdk.dialects import dag_answers, family_answers
from airflow_python_sdk.dialects.dag_requests import answered, page_read, send_about_dag
from airflow_python_sdk.dialects.errors import unsupported
from airflow_python_sdk.dialects.family_actions import (
    clear_task_instances,
    update_task_instances_state,
)
from airflow_python_sdk.dialects.outcome import Outcome
from airflow_python_sdk.dialects.tries import tries_page

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect

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
        "bulk_task_instances": bound(_bulk_task_instances),
        "get_dag_runs": bound(get_dag_runs),
        "get_dag_run": bound(get_dag_run),
        "get_task_instance_tries": bound(get_task_instance_tries),
        "get_x_com_values": bound(get_x_com_values),
        "get_x_com_value": bound(get_x_com_value),
    }


def _bulk_task_instances(dialect: RealAirflowDialect, call: Call) -> Outcome:
    # Imported on first use: its threads and models are not needed by most jobs.
    from airflow_python_sdk.dialects.bulk_operation import bulk_task_instances

    return bulk_task_instances(dialect, call)


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
    changed = [name for name, _ in query if name.startswith("updated_at_")]
    if batch and changed:
        raise unsupported(
            call.endpoint.operation_id, dialect.server,
            f"{dialect.server} lists task instances by {changed[0]} only without task ids (or "
            f"with one, on Airflow 3): its batch list, which takes several, has no such filter; "
            "filter by task id or by date of change, not both; nothing was sent",
        )
    position = None
    if batch:  # the batch POST has no cursor: a walk goes on by offset
        method = "POST"
        answer = send_about_dag(dialect, call, method, _BATCH_PATH, not_found,
                                body=_batch_body(query, call.dag_id))
    else:
        method = "GET"
        path = f"/dags/{segment(call.dag_id)}/dagRuns/~/taskInstances"
        query, position = _by_cursor(dialect, query)
        answer = send_about_dag(dialect, call, method, path, not_found, query=query)
    return answered(dialect, answer, method, page_read(query, position, lambda document: (
        family_answers.task_instance_collection(call.codec, document, call.check))))


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


def get_dag_runs(dialect: RealAirflowDialect, call: Call) -> Outcome:
    query, position = _by_cursor(dialect, server_names(dialect, call.request.query))
    fields = [value for name, value in query if name == "fields"]
    if not dialect.dag_runs_take_fields:
        query = [(name, value) for name, value in query if name != "fields"]
    path = f"/dags/{segment(call.dag_id)}/dagRuns"
    answer = send_about_dag(dialect, call, "GET", path, f"DAG {call.dag_id!r} not found",
                            query=query)

    def read(document: Any) -> Any:
        if fields and not dialect.dag_runs_take_fields:
            document = _projected(document, fields)
        return family_answers.dag_run_collection(call.codec, document, call.check,
                                                 fill=not fields)

    return answered(dialect, answer, "GET", page_read(query, position, read))


def _projected(document: Any, fields: Sequence[str]) -> Any:
    """The runs of a page with the named fields alone (in the spec's names: Airflow 3's
    `logical_date` answers for `execution_date`)."""
    if not isinstance(document, dict) or not isinstance(document.get("dag_runs"), list):
        return document
    runs = []
    for run in document["dag_runs"]:
        mapped = dag_answers.run_document(run) if isinstance(run, dict) else run
        runs.append({name: mapped[name] for name in fields if name in mapped}
                    if isinstance(mapped, dict) else mapped)
    return {**document, "dag_runs": runs}


def get_dag_run(dialect: RealAirflowDialect, call: Call) -> Outcome:
    run_id = str(call.arguments["dag_run_id"])
    path = f"/dags/{segment(call.dag_id)}/dagRuns/{segment(run_id)}"
    answer = send_about_dag(dialect, call, "GET", path,
                             f"DAG run {run_id!r} of DAG {call.dag_id!r} not found")
    return answered(dialect, answer, "GET", lambda document: (
        family_answers.dag_run(call.codec, document, call.check)))


def get_task_instance_tries(dialect: RealAirflowDialect, call: Call) -> Outcome:
    page = tries_page(call.endpoint.operation_id, call.arguments)
    answer = dialect.send_about_task_instance(call, "GET", "/tries", preload=call.preload)

    def in_order(document: Any) -> Any:
        if isinstance(document, dict) and isinstance(document.get("task_instances"), list):
            # The first try first, as the spec says, whatever order the server used (or the
            # order and page asked for, which neither server applies).
            document = {**document, **page(document["task_instances"])}
        return family_answers.task_instance_collection(call.codec, document, call.check,
                                                       execution_date=call.when)

    return answered(dialect, answer, "GET", in_order)


def get_x_com_values(dialect: RealAirflowDialect, call: Call) -> Outcome:
    query = [(name, value) for name, value in server_names(dialect, call.request.query)
             if name in ("limit", "offset", "xcom_key")]
    answer = dialect.send_about_task_instance(call, "GET", "/xcomEntries", query=query,
                                              preload=call.preload)
    return answered(dialect, answer, "GET", page_read(query, None, lambda document: (
        family_answers.x_com_collection(call.codec, document, call.check))))


def get_x_com_value(dialect: RealAirflowDialect, call: Call) -> Outcome:
    key = segment(str(call.arguments["key"]))
    answer = dialect.send_about_task_instance(call, "GET", f"/xcomEntries/{key}",
                                              preload=call.preload)
    return answered(dialect, answer, "GET", lambda document: (
        family_answers.x_com(call.codec, document, call.check)))

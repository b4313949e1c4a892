"""The DAG operations on real Airflow servers: list DAGs, read one, pause or unpause one, and
pause or unpause every DAG a pattern matches. Each function is one operation of
`RealAirflowDialect` (registered by `dag_operations`) and answers an `Outcome`.

What differs between the servers, and how each function hides it:
- filters: the spec's `only_active` is Airflow 3's `exclude_stale`; `~` as `dag_id_pattern`
  matches every DAG on Airflow 3 and in Airflow 2's PATCH, but would be taken literally by
  Airflow 2's list, so it is left out there; the spec's page size (100) is sent, Airflow 3's own
  default being 50;
- order: Airflow 2 orders DAGs by `dag_id` alone, so another `order_by` is refused before sending;
- the one field a client changes is `is_paused`, sent as `{"is_paused": ...}` with
  `update_mask=is_paused` (a DAG read back and sent again carries fields both servers refuse);
- bulk pause (`update_dags`): the matching DAGs are listed first (every page, with every filter
  including `paused`); then Airflow 3's `PATCH /dags` changes them all in one request, while
  Airflow 2's changes one page of 100 at a time, in `dag_id` order, and has no `paused` filter:
  changing the DAGs that match the other filters is the same change, since those already in the
  new state stay as they are. Nothing is sent but the listing when nothing would change. The
  answer is the listed DAGs, in their new state.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable

from airflow_python_sdk._errors import ApiException, ApiValueError
from airflow_python_sdk._operation import encode_path_segment as segment
from airflow_python_sdk._operation.paging import PAGE_SIZE, iterate_pages, pages_changed
from airflow_python_sdk.dialects import dag_answers
from airflow_python_sdk.dialects.dag_requests import answered, page_read, send_about_dag
from airflow_python_sdk.dialects.errors import unsupported, with_problem
from airflow_python_sdk.dialects.outcome import Outcome

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect
    from airflow_python_sdk.dialects.wire import Answer

__all__ = ["dag_operations"]

_EVERY_DAG = "~"
_FILTERS = ("tags", "only_active", "paused", "dag_id_pattern")


def dag_operations(dialect: RealAirflowDialect) -> dict[str, Callable[[Call], Outcome]]:
    """The DAG operations, bound to `dialect`, by operation id."""

    def bound(operation: Callable[[RealAirflowDialect, Call], Outcome]
              ) -> Callable[[Call], Outcome]:
        return lambda call: operation(dialect, call)

    return {
        "get_dags": bound(get_dags),
        "get_dag": bound(get_dag),
        "update_dag": bound(update_dag),
        "update_dags": bound(update_dags),
    }


def get_dags(dialect: RealAirflowDialect, call: Call) -> Outcome:
    order_by = call.arguments.get("order_by")
    if dialect.dag_orders is not None and order_by not in (None, *dialect.dag_orders):
        raise unsupported(
            "get_dags", dialect.server,
            f"{dialect.server} orders DAGs by dag_id alone (order_by={order_by!r}); use "
            f"{' or '.join(repr(o) for o in dialect.dag_orders)}, or leave it unset; nothing "
            "was sent",
        )
    query = _server_query(dialect, call.request.query, listing=True)
    if not any(name == "limit" for name, _ in query):
        query.append(("limit", str(PAGE_SIZE)))
    answer = send_about_dag(dialect, call, "GET", "/dags", "DAGs not found", query=query)
    return answered(dialect, answer, "GET", page_read(query, None, lambda document: (
        dag_answers.dag_collection(call.codec, document, call.check))))


def get_dag(dialect: RealAirflowDialect, call: Call) -> Outcome:
    answer = send_about_dag(dialect, call, "GET", f"/dags/{segment(call.dag_id)}",
                            f"DAG {call.dag_id!r} not found")
    return answered(dialect, answer, "GET", lambda document: (
        dag_answers.dag(call.codec, document, call.check)))


def update_dag(dialect: RealAirflowDialect, call: Call) -> Outcome:
    paused = _requested_pause(dialect, call)
    answer = send_about_dag(dialect, call, "PATCH", f"/dags/{segment(call.dag_id)}",
                            f"DAG {call.dag_id!r} not found",
                            query=[("update_mask", "is_paused")], body={"is_paused": paused})
    return answered(dialect, answer, "PATCH", lambda document: (
        dag_answers.dag(call.codec, document, call.check)))


def update_dags(dialect: RealAirflowDialect, call: Call) -> Outcome:
    paused = _requested_pause(dialect, call)
    filters = [(name, value) for name, value in call.request.query if name in _FILTERS]
    listed, last = _every_matching_dag(dialect, call, filters)
    asked_paused = call.arguments.get("paused")
    if listed and (asked_paused is None or bool(asked_paused) != paused):
        last = _change(dialect, call, filters, paused, [str(d.get("dag_id")) for d in listed])
    changed = [{**document, "is_paused": paused} for document in listed]
    collection = {"dags": changed, "total_entries": len(changed)}
    return Outcome(dialect.mapped(last, "PATCH", lambda: dag_answers.dag_collection(
        call.codec, collection, call.check)), last.response)


def _every_matching_dag(dialect: RealAirflowDialect, call: Call,
                        filters: list[tuple[str, str]]) -> tuple[list[dict[str, Any]], Answer]:
    """Every DAG the filters match, as the server sends them (every page, in dag_id order),
    and the last answer; PagesChangedException if they change while they are listed."""
    query = [*_server_query(dialect, filters, listing=True), ("order_by", "dag_id")]
    answers: list[Answer] = []

    def page(limit: int, offset: int) -> Any:
        answer = send_about_dag(dialect, call, "GET", "/dags", "DAGs not found",
                                query=[*query, ("limit", str(limit)), ("offset", str(offset))],
                                preload=True)
        answers.append(answer)
        document = answer.document
        return document if isinstance(document, dict) else {}

    listed = [item for item in iterate_pages(page, operation="update_dags", items="dags",
                                             identity=("dag_id",))
              if isinstance(item, dict)]
    return listed, answers[-1]


def _change(dialect: RealAirflowDialect, call: Call, filters: list[tuple[str, str]],
            paused: bool, listed: list[str]) -> Answer:
    """Send the change: one PATCH for every matching DAG (Airflow 3), or one per page of 100
    (Airflow 2, whose PATCH changes the page it answers). An error after a page was changed
    says which DAGs were."""
    query = [*_server_query(dialect, filters, listing=False), ("update_mask", "is_paused")]
    body = {"is_paused": paused}
    if not dialect.bulk_pause_by_page:
        return send_about_dag(dialect, call, "PATCH", "/dags", "DAGs not found",
                              query=[*query, ("limit", "1")], body=body)
    changed: list[str] = []
    done: set[str] = set()
    offset = 0
    # As many pages as the first answer counts (without `paused`, it may count more DAGs than
    # were listed), and one more for any added since; a page that changes no DAG not changed
    # already ends it too: the loop ends whatever the server answers.
    pages = len(listed) // PAGE_SIZE + 2
    sent = 0
    while sent < pages:
        sent += 1
        try:
            answer = send_about_dag(dialect, call, "PATCH", "/dags", "DAGs not found",
                                    query=[*query, ("limit", str(PAGE_SIZE)),
                                           ("offset", str(offset))], body=body, preload=True)
        except ApiException as exc:
            if not changed:
                raise
            raise with_problem(exc, _already_changed(changed, paused)) from None
        document = answer.document if isinstance(answer.document, dict) else {}
        found = document.get("dags")
        dags: list[Any] = found if isinstance(found, list) else []
        new = [dag_id for dag_id in (str(d.get("dag_id")) for d in dags if isinstance(d, dict))
               if dag_id not in done]
        if not new:
            break
        changed += new
        done.update(new)
        offset += len(dags)
        total = document.get("total_entries")
        if not isinstance(total, int) or offset >= total:
            break
        if sent == 1:
            pages = max(pages, min(total, len(listed) + PAGE_SIZE) // PAGE_SIZE + 2)
    missed = [dag_id for dag_id in listed if dag_id not in done]
    if missed:
        # The server answered pages that did not reach every DAG it listed (it ignores the
        # offset, or its list changed): say exactly what was changed and what was not.
        raise pages_changed(
            "update_dags",
            f"update_dags {'paused' if paused else 'unpaused'} {len(changed)} DAGs "
            f"({_names(changed)}), but the pages of its change did not reach {len(missed)} of "
            f"the DAGs listed ({_names(missed)}): those were not changed",
            expected=len(listed), yielded=len(changed))
    return answer


def _already_changed(changed: Sequence[str], paused: bool) -> str:
    return (f"update_dags had already {'paused' if paused else 'unpaused'} {len(changed)} DAGs "
            f"({_names(changed)}) when this request failed")


def _names(dag_ids: Sequence[str]) -> str:
    return ", ".join(dag_ids[:10]) + (", ..." if len(dag_ids) > 10 else "")


def _server_query(dialect: RealAirflowDialect, query: Sequence[tuple[str, str]], *,
                  listing: bool) -> list[tuple[str, str]]:
    """The spec's DAG filters with the server's names: Airflow 3's `exclude_stale` for
    `only_active`; no `~` pattern in Airflow 2's list, no `paused` in Airflow 2's PATCH."""
    sent = []
    for name, value in query:
        if name == "only_active":
            name = dialect.only_active_filter
        elif name == "dag_id_pattern" and value == _EVERY_DAG and listing:
            if not dialect.every_dag_pattern_in_lists:
                continue
        elif name == "paused" and not listing and not dialect.bulk_pause_filters_paused:
            continue
        sent.append((name, value))
    return sent


def _requested_pause(dialect: RealAirflowDialect, call: Call) -> bool:
    """The `is_paused` the call asks for, checked before anything is sent: the one field of a
    DAG both servers let a client change."""
    mask = [name for name in call.arguments.get("update_mask") or () if str(name).strip()]
    if any(name != "is_paused" for name in mask):
        raise ApiValueError(
            f"{dialect.server} can only change a DAG's is_paused; update_mask={mask!r} asks for "
            "more. Pass update_mask=['is_paused'] or leave it unset.",
            path_to_item=[call.endpoint.operation_id, "update_mask"],
        )
    body = call.request.body
    paused = body.get("is_paused") if isinstance(body, dict) else None
    if not isinstance(paused, bool):
        raise ApiValueError(
            f"{call.endpoint.operation_id}: set dag.is_paused to True (pause) or False "
            f"(unpause); it is {paused!r}",
            path_to_item=[call.endpoint.operation_id, "dag", "is_paused"],
        )
    return paused

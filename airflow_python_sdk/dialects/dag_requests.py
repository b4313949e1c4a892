"""Sending a request about a DAG (or one of its runs) to a real server, and reading its answer:
what the operations of family.py, dag_operations.py and dag_run_operations.py share. A list's
answer is read through `page_read`, which holds it to its `limit` and tells a page walk what it
says of cursors."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Callable, Optional

from airflow_python_sdk._errors import ApiException, NotFoundException
from airflow_python_sdk._operation.page_position import PagePosition
from airflow_python_sdk._operation.paging import check_page_items
from airflow_python_sdk.dialects.errors import with_problem
from airflow_python_sdk.dialects.outcome import Outcome

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect
    from airflow_python_sdk.dialects.wire import Answer

__all__ = ["answered", "page_read", "send_about_dag"]


def send_about_dag(dialect: RealAirflowDialect, call: Call, method: str, path: str,
                   not_found: str, *, query: Optional[list[tuple[str, str]]] = None,
                   body: Any = None, preload: Optional[bool] = None) -> Answer:
    """A request about a DAG or one of its runs: a 404 says what was not found, any other
    error keeps the server's problem. `preload` is the call's unless given (a request whose
    answer the operation must read itself, such as a dry run before the change, says True)."""
    try:
        return dialect.send(call, method, path, query=query, body=body,
                            preload=call.preload if preload is None else preload)
    except NotFoundException as exc:
        raise with_problem(exc, not_found) from None
    except ApiException as exc:
        raise with_problem(exc) from None


def answered(dialect: RealAirflowDialect, answer: Answer, method: str,
             read: Callable[[Any], Any]) -> Outcome:
    """The answer unread when the caller asked for it (`_preload_content=False`), else its
    document mapped by `read` onto the spec's model."""
    if answer.response.stream is not None:
        return Outcome(None, answer.response)
    return Outcome(dialect.mapped(answer, method, lambda: read(answer.document)),
                   answer.response)


def page_read(query: Sequence[tuple[str, str]], position: Optional[PagePosition],
              read: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`read` of a list answer, after checking that it holds no more items than the query's
    `limit` asked for (before they become models: a 1 MB page of 300,000 empty objects would
    cost 80 MB) and telling a page walk's `position` what the answer says of cursors."""
    limit = next((value for name, value in query if name == "limit"), None)

    def checked(document: Any) -> Any:
        if limit is not None and limit.isdigit():
            check_page_items(document, int(limit))
        if position is not None:
            position.read(document)
        return read(document)

    return checked

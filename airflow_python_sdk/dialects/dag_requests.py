"""Sending a request about a DAG (or one of its runs) to a real server, and reading its answer:
what the operations of family.py, dag_operations.py and dag_run_operations.py share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Optional

from airflow_python_sdk._errors import ApiException, NotFoundException
from airflow_python_sdk.dialects.errors import with_problem
from airflow_python_sdk.dialects.outcome import Outcome

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect
    from airflow_python_sdk.dialects.wire import Answer

__all__ = ["answered", "send_about_dag"]


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

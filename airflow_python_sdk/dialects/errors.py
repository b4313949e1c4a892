"""Errors of real Airflow servers, made to look alike whichever server sent them.

Airflow 2 answers errors as RFC 7807 problems (`title`, `status`, `detail`, often with a null
detail); Airflow 3 answers FastAPI's `{"detail": ...}`, where detail is a string or a list of
validation errors. A job catches the same exception classes either way, and `exc.error` is an
`Error` whose `status` and `title` are always set and whose `detail` is text (the list of a
validation error is kept as it came in the unknown field `detail_items`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Optional, TypeVar

from airflow_python_sdk._errors import (
    AmbiguousRunException,
    ApiConnectionError,
    ApiException,
    ResponseTypeError,
    ResponseValueError,
    RunNotFoundException,
    UnsupportedOperationException,
)
from airflow_python_sdk._internal.reason_phrases import reason_phrase
from airflow_python_sdk.dialects.problems import parse_problem
from airflow_python_sdk.model.error import Error
from airflow_python_sdk.transport.failures import may_have_reached_server

__all__ = ["RunNotFoundException", "UnsupportedOperationException", "ambiguous_run",
           "noted_unsure_write", "run_not_found", "unsupported", "with_problem"]

# Operations that create something, and what a caller must know when one fails after the server
# may have seen it: the transport does not send such a request twice (see transport/retry.py),
# so the thing may exist, and sending it again could make a second one.
_MAY_EXIST = {
    "trigger_dag_run": "the DAG run may exist (the trigger was not sent again): look for it "
                       "with get_dag_run (its dag_run_id) or get_dag_runs before triggering "
                       "again",
}


def _detail_text(detail: Any) -> Optional[str]:
    """FastAPI's list of validation errors as one line: `body.new_state: <message>; ...`."""
    if detail is None or isinstance(detail, str):
        return detail
    if isinstance(detail, list):
        parts = []
        for item in detail:
            if isinstance(item, Mapping) and "msg" in item:
                where = ".".join(str(part) for part in item.get("loc") or ())
                parts.append(f"{where}: {item['msg']}" if where else str(item["msg"]))
            else:
                parts.append(str(item))
        return "; ".join(parts)
    return json.dumps(detail)


def _normalized(exc: ApiException, context: Optional[str]) -> Error:
    parsed = exc.error
    fields: dict[str, Any] = dict(parsed.to_dict()) if parsed is not None else {}
    if parsed is None and exc.body:
        # Neither shape (a proxy's HTML page, Airflow 3's `{"error": ...}` for unknown routes):
        # keep a short excerpt of the body as the detail.
        fields["detail"] = " ".join(exc.body.split())[:200]
    raw_detail = fields.get("detail")
    if raw_detail is not None and not isinstance(raw_detail, str):
        fields["detail_items"] = raw_detail
    detail = _detail_text(raw_detail)
    if context:
        detail = f"{context}: {detail}" if detail else context
    fields["detail"] = detail
    fields["status"] = exc.status or fields.get("status")
    if not fields.get("title"):
        fields["title"] = reason_phrase(exc.status) or exc.reason or "Error"
    fields.setdefault("type", "about:blank")
    return Error.from_dict(fields, _check_type=False)


def with_problem(exc: ApiException, context: Optional[str] = None) -> ApiException:
    """`exc` with its `error` replaced by the normalized problem; `context` (what was being
    addressed, e.g. which task instance) is put in front of the detail.

    The exception keeps its class, status, body and headers; only the parsed problem changes.
    """
    if exc.status == 0:
        return exc  # no answer came: nothing to normalize
    problem = _normalized(exc, context)
    exc.error = problem
    return exc


def run_not_found(detail: str, *, method: str, url: str) -> RunNotFoundException:
    """The 404 of a missing run, shaped like a server's own problem."""
    return _concluded(RunNotFoundException, 404, "Not Found", "DAG run not found", detail,
                      method=method, url=url)


def ambiguous_run(detail: str, *, method: str, url: str) -> AmbiguousRunException:
    """The 409 of an execution date several DAG runs share, shaped like a server's problem."""
    return _concluded(AmbiguousRunException, 409, "Conflict", "Ambiguous DAG run", detail,
                      method=method, url=url)


_Concluded = TypeVar("_Concluded", bound=ApiException)


def _concluded(cls: type[_Concluded], status: int, reason: str, title: str, detail: str, *,
               method: str, url: str) -> _Concluded:
    """An error status the SDK concludes itself, with the problem a server would have sent."""
    problem = {"type": "about:blank", "title": title, "status": status, "detail": detail}
    return cls(
        status,
        reason,
        json.dumps(problem),
        {"Content-Type": "application/problem+json"},
        method=method,
        url=url,
        error=Error.from_dict(problem, _check_type=False),
    )


def unsupported(operation: str, server: str, detail: str) -> UnsupportedOperationException:
    """The error of an operation `server` has no endpoint for, with its problem parsed."""
    exc = UnsupportedOperationException(operation, server, detail)
    exc.error = parse_problem(exc.body)
    return exc


def noted_unsure_write(operation: str, exc: ApiException) -> ApiException:
    """`exc`, saying what may exist when `operation` creates something and failed after the
    server may have seen it (a 5xx, a connection that broke, a read timeout, a 2xx answer that
    could not be read). A 4xx means the server refused it: nothing was made, and `exc` is
    returned as it is."""
    note = _MAY_EXIST.get(operation)
    if note is None or 400 <= exc.status < 500 or not may_have_reached_server(exc):
        return exc
    if isinstance(exc, (ApiConnectionError, ResponseValueError)):
        exc.message = f"{exc.message}; {note}"
        exc.args = (exc.message,) if isinstance(exc, ResponseValueError) else exc.args
        return exc
    if isinstance(exc, ResponseTypeError):
        exc.cause_message = f"{exc.cause_message}; {note}"
        exc.args = (exc.cause_message,)
        return exc
    return with_problem(exc, note)

"""The error of a change of many things at once that did not do all it was asked.

A bulk change answers each task instance's own result. When one of them is not done (the
server refused it, or cannot have reached it, or may or may not have done it), the call raises
`BulkChangeException` rather than returning: a partial change is never reported as a success.
The exception carries the whole result, so a caller still learns exactly what changed.
"""

from __future__ import annotations

from typing import Any, Optional

from airflow_python_sdk._errors.calls import ApiException

__all__ = ["BulkChangeException"]

# The results that count as done; any other (including one a newer server invents) does not.
DONE_RESULTS = ("changed", "unchanged")


class BulkChangeException(ApiException):
    """A bulk change (`TaskInstanceApi.bulk_task_instances`) that did not change every task
    instance it named.

    `result` is the operation's answer (a `BulkTaskInstanceResponse`): each task instance's own
    result, in the order they were named: `changed` or `unchanged` (done), `failed` (refused,
    not changed), `unknown` (may have changed: the request holding it failed once the server may
    have seen it) or `not_attempted` (not sent, after an error), with `status` and `error`
    saying why. `done` and `not_done` list them. `cause` is the error that stopped the change
    (a request that failed), or None when the server answered every task instance's own result.
    `status` is the cause's status, or the status of the answer that reported the failures.
    `str(e)` counts what was done and names what was not.
    """

    def __init__(self, summary: str, result: Any, *, cause: Optional[ApiException] = None,
                 status: int = 200, method: Optional[str] = None,
                 url: Optional[str] = None) -> None:
        ApiException.__init__(self, status, "not every change was made", method=method, url=url,
                              error=None if cause is None else cause.error)
        self.summary = summary
        self.result = result
        self.cause = cause
        self.args = (summary,)

    @property
    def done(self) -> list[Any]:
        """The task instances' results that are done: changed, or unchanged (they had the new
        state already)."""
        return [item for item in _items(self.result) if _result_of(item) in DONE_RESULTS]

    @property
    def not_done(self) -> list[Any]:
        """The task instances' results that are not done: failed, unknown or not attempted."""
        return [item for item in _items(self.result) if _result_of(item) not in DONE_RESULTS]

    def __str__(self) -> str:
        where = " ".join(part for part in (self.method, self.url) if part)
        return f"{where}: {self.summary}" if where else self.summary


def _items(result: Any) -> list[Any]:
    items = result.get("task_instances") if hasattr(result, "get") else None
    return list(items or ())


def _result_of(item: Any) -> Optional[str]:
    value = item.get("result") if hasattr(item, "get") else None
    # An enum member's value, or the text a server sent that the enum does not name.
    return None if value is None else str(getattr(value, "value", value))

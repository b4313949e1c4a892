"""A bulk change where the server has no bulk endpoint (Airflow 2, Airflow 3.0): each task
instance's own PATCH, a few at a time, each with its own result.

Airflow 2's PATCH takes `{"dry_run": false, "new_state": ...}` and answers 200 (`changed`; it
does not say whether the state was the same already); Airflow 3's takes `{"new_state": ...}` and
answers 409 to the state a task instance has already, which is `unchanged` once the task instance,
read back, has it. A 404 is that task instance's `failed`; any other error too (or `unknown`
when the request may have reached the server). Errors every other request would hit as well
(401, 403, no connection) stop the change: requests not yet started are not attempted, those in
flight finish within their timeouts.
"""

from __future__ import annotations

import dataclasses
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Optional

from airflow_python_sdk._errors import (
    ApiConnectionError,
    ApiException,
    ConflictException,
    ForbiddenException,
    UnauthorizedException,
)
from airflow_python_sdk.dialects.bulk_change import Entity, Tally, short_text
from airflow_python_sdk.transport.failures import may_have_reached_server

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect

__all__ = ["WORKERS", "change_one_by_one"]

# Requests in flight at once: as the command's set-state does by default.
WORKERS = 4
_STOPS_THE_CHANGE = (UnauthorizedException, ForbiddenException, ApiConnectionError)


def change_one_by_one(dialect: RealAirflowDialect, call: Call, tally: Tally
                      ) -> Optional[ApiException]:
    """Settle every task instance with its own request; the error that stopped the change,
    if one did."""
    stop = threading.Event()
    stopped_by: list[ApiException] = []
    lock = threading.Lock()

    def one(entity: Entity) -> None:
        if stop.is_set():
            return
        single = dataclasses.replace(call, task_id=entity.task_id, map_index=entity.map_index)
        try:
            answer = dialect.send_about_task_instance(
                single, "PATCH", body=dialect.state_patch(entity.new_state))
            tally.response = answer.response
            tally.settle(entity, "changed")
        except ConflictException as conflict:
            _conflict(dialect, single, tally, entity, conflict)
        except ApiException as error:
            reached = may_have_reached_server(error) and not 400 <= error.status < 500
            tally.settle(entity, "unknown" if reached else "failed", error.status,
                         short_text(error))
            if isinstance(error, _STOPS_THE_CHANGE):
                with lock:
                    if not stop.is_set():
                        stop.set()
                        stopped_by.append(error)

    workers = max(1, min(WORKERS, len(tally.entities)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="airflow-sdk-bulk") as pool:
        for _ in pool.map(one, tally.entities):
            pass
    if stopped_by:
        tally.stopped = f"an earlier request of this change failed ({short_text(stopped_by[0])})"
        return stopped_by[0]
    return None


def _conflict(dialect: RealAirflowDialect, single: Call, tally: Tally, entity: Entity,
              conflict: ConflictException) -> None:
    """Airflow 3 refuses to set the state a task instance has already: that is `unchanged`,
    provided the task instance, read back, has it."""
    try:
        read = dialect.send_about_task_instance(single, "GET")
    except ApiException:
        state = None
    else:
        state = read.document.get("state") if isinstance(read.document, dict) else None
    if state == entity.new_state:
        tally.settle(entity, "unchanged")
    else:
        tally.settle(entity, "failed", conflict.status, short_text(conflict))

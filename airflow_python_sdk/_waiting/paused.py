"""Whether a DAG is paused, asked while something a wait waits for has not finished.

A paused DAG's runs stay queued (or running, once the tasks in flight end) and its task
instances unscheduled for as long as it stays paused: a wait would hang until its timeout with
nothing to show why. So a wait asks when it first sees such work unfinished, and again every
RECHECK seconds while that lasts (a run may wait long for other reasons: the DAG's
max_active_runs, a busy scheduler), and a paused DAG ends the wait at once with
`DagPausedError`. A check that fails (a server
without the operation, a user who may not read DAGs, a passing 503) is no answer: the wait
goes on.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, Callable, Optional

from airflow_python_sdk._errors import ApiException, DagPausedError

if TYPE_CHECKING:
    from airflow_python_sdk._client import ApiClient

__all__ = ["NOT_STARTED", "PausedCheck", "unpause_hint"]

# Task states of work the scheduler has not started (or will start again): all of it waits
# while the DAG is paused.
NOT_STARTED = frozenset({None, "none", "scheduled", "queued", "up_for_retry",
                         "up_for_reschedule", "restarting"})
RECHECK = 30.0


def unpause_hint(dag_id: str) -> str:
    return (f"unpause it with DAGApi.update_dag({dag_id!r}, DAG(is_paused=False), "
            f"update_mask=['is_paused']) or `airflow-sdk unpause {dag_id}`")


class PausedCheck:
    """Asks whether DAGs are paused, at most once per RECHECK seconds per DAG."""

    def __init__(self, api_client: ApiClient, request_timeout: Callable[[], Any]) -> None:
        # Imported when a wait begins, not with every API class whose waits may ask: the DAG
        # API and its models are a tenth of the SDK's import (docs/PERFORMANCE.md).
        from airflow_python_sdk.api.dag_api import DAGApi

        self._dags = DAGApi(api_client)
        self._request_timeout = request_timeout
        self._asked: dict[str, float] = {}

    def raise_if_paused(self, dag_id: str, waiting_for: str, last_state: Any,
                        verb: str = "start") -> None:
        """`DagPausedError` when `dag_id` is paused; `waiting_for` says what cannot `verb`."""
        now = time.monotonic()
        asked = self._asked.get(dag_id)
        if asked is not None and now - asked < RECHECK:
            return
        self._asked[dag_id] = now
        if self._is_paused(dag_id):
            raise DagPausedError(
                f"DAG {dag_id!r} is paused: {waiting_for} cannot {verb} until it is unpaused "
                f"({unpause_hint(dag_id)})", dag_id=dag_id, last_state=last_state)

    def _is_paused(self, dag_id: str) -> Optional[bool]:
        try:
            dag = self._dags.get_dag(dag_id, _request_timeout=self._request_timeout(),
                                     _retries=0)
        except ApiException:
            return None
        paused = dag.get("is_paused")
        return None if paused is None else bool(paused)

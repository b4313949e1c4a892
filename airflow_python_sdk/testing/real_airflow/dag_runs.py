"""Trigger a DAG run on a started server and wait for its end.

Triggering and pausing go through the REST API with plain HTTP: the SDK has no DAG or DAG-run
operations yet. Waiting reads the server's SQLite database (dag_run_state.py). When the SDK gains
DAGRunApi (post_dag_run, get_dag_run), these functions can call it instead; the handle's
methods and the TriggeredRun / FinishedRun they return stay as they are.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional, Union
from urllib.parse import quote

from .dag_run_state import FinishedRun, wait_until_finished
from .plain_http import airflow3_token, basic_auth, bearer, expect, request_json
from .processes import CommandFailed

if TYPE_CHECKING:
    from .server_handle import RealAirflow

__all__ = ["DagNotFound", "TriggeredRun", "set_paused", "trigger_dag_run", "wait_for_dag_run"]

_run_numbers = itertools.count(1)
_last_default_date = dt.datetime.min.replace(tzinfo=dt.timezone.utc)
_dates_lock = threading.Lock()


class DagNotFound(CommandFailed):
    """The server does not know the DAG; the message lists the DAG folder's import errors."""


@dataclass(frozen=True)
class TriggeredRun:
    """A run that was started: what the SDK's task-instance calls need to find its tasks."""

    dag_id: str
    run_id: str
    logical_date: dt.datetime


def _authorization(server: RealAirflow) -> str:
    admin = server.admin
    if server.major == 2:
        return basic_auth(admin.username, admin.password)
    return bearer(airflow3_token(server.root_url, admin.username, admin.password))


def _import_errors(server: RealAirflow, authorization: str) -> str:
    status, answer = request_json("GET", f"{server.base_url}/importErrors", None, authorization)
    if status != 200 or not isinstance(answer, dict) or not answer.get("import_errors"):
        return "no import errors reported"
    return "; ".join(
        f"{error.get('filename')}: {str(error.get('stack_trace', '')).strip().splitlines()[-1:]}"
        for error in answer["import_errors"]
    )


def _dag_url(server: RealAirflow, dag_id: str) -> str:
    return f"{server.base_url}/dags/{quote(dag_id, safe='')}"


def set_paused(server: RealAirflow, dag_id: str, paused: bool) -> None:
    authorization = _authorization(server)
    _set_paused(server, dag_id, paused, authorization)


def _set_paused(server: RealAirflow, dag_id: str, paused: bool, authorization: str) -> None:
    url = _dag_url(server, dag_id) + "?update_mask=is_paused"
    status, answer = request_json("PATCH", url, {"is_paused": paused}, authorization)
    if status == 404:
        raise DagNotFound(
            f"Airflow {server.version} has no DAG {dag_id!r} (DAG folders "
            f"{[str(f) for f in server.dag_folders]}): {_import_errors(server, authorization)}"
        )
    expect(status, 200, f"{'pause' if paused else 'unpause'} {dag_id}", answer)


def _as_datetime(value: Union[dt.datetime, str, None]) -> dt.datetime:
    if value is None:
        global _last_default_date
        # Now, to the second (a DAG's start_date must lie before its runs' logical dates), and
        # later than the last one given: Airflow 2 refuses two runs of a DAG at one date.
        with _dates_lock:
            now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
            _last_default_date = max(now, _last_default_date + dt.timedelta(seconds=1))
            return _last_default_date
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        raise ValueError(f"logical_date {value.isoformat()!r} needs a time zone, e.g. UTC")
    return value


def trigger_dag_run(
    server: RealAirflow,
    dag_id: str,
    run_id: Optional[str] = None,
    logical_date: Union[dt.datetime, str, None] = None,
    conf: Optional[Mapping[str, Any]] = None,
) -> TriggeredRun:
    """Unpause the DAG (a paused DAG's runs never start) and create a run of it."""
    date = _as_datetime(logical_date)
    if run_id is None:
        run_id = f"sdk_test__{date:%Y%m%dT%H%M%S}_{next(_run_numbers)}"
    authorization = _authorization(server)
    _set_paused(server, dag_id, False, authorization)
    body = {"dag_run_id": run_id, "logical_date": date.isoformat(), "conf": dict(conf or {})}
    status, answer = request_json(
        "POST", _dag_url(server, dag_id) + "/dagRuns", body, authorization
    )
    expect(status, 200, f"trigger {dag_id}", answer)
    return TriggeredRun(dag_id, run_id, date)


def wait_for_dag_run(server: RealAirflow, run: TriggeredRun, timeout_s: float) -> FinishedRun:
    finished = wait_until_finished(
        server.airflow_home / "airflow.db",
        run.dag_id,
        run.run_id,
        server.process("scheduler"),
        server.log_files["scheduler"],
        timeout_s,
    )
    return dataclasses.replace(finished, logical_date=run.logical_date)

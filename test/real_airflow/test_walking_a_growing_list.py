"""Walking a list of DAG runs that grows while it is walked, on real Airflow 2.10.5 and 3.3.2.

`sdk_many_runs` (integration/real_airflow/dags/sdk_many_runs.py) is paused and never runs: each
test gives it 250 runs by the REST API, walks them in pages of 50, and after the first page adds
30 runs dated before all of them (a backfill), as another user could at any moment. Airflow 3.3
lists runs by keyset cursor, which the SDK uses: every one of the 250 runs comes once and the
walk ends without error, its total growing from 250 to 280 meanwhile. Airflow 2 pages by offset:
the rows shift under the walk, and the walk says so with PagesChangedException instead of
yielding a run twice and skipping another.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from airflow_python_sdk import ApiClient
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.exceptions import PagesChangedException
from airflow_python_sdk.testing.real_airflow.plain_http import (
    airflow3_token,
    basic_auth,
    bearer,
    expect,
    request_json,
)
from integration.real_airflow.maintenance_run import AirflowServer

DAG_ID = "sdk_many_runs"
RUNS = 250
ADDED = 30
PAGE = 50


def _authorization(server: AirflowServer) -> str:
    admin = server.admin
    if server.major == 2:
        return basic_auth(admin.username, admin.password)
    return bearer(airflow3_token(server.root_url, admin.username, admin.password))


def _add_runs(server: AirflowServer, prefix: str, first: dt.datetime, count: int) -> list[str]:
    """`count` runs one day apart from `first`, left queued (the DAG stays paused)."""
    authorization = _authorization(server)
    made = []
    for day in range(count):
        run_id = f"{prefix}_{day:03d}"
        body = {"dag_run_id": run_id, "logical_date": (first + dt.timedelta(days=day)).isoformat()}
        status, answer = request_json("POST", f"{server.base_url}/dags/{DAG_ID}/dagRuns", body,
                                      authorization)
        expect(status, 200, f"create run {run_id}", answer)
        made.append(run_id)
    return made


def _walk_while_a_backfill_lands(server: AirflowServer, prefix: str) -> tuple[list[str], Any]:
    first = dt.datetime(2001 if server.major == 3 else 2003, 1, 1, tzinfo=dt.timezone.utc)
    original = _add_runs(server, f"{prefix}_walked", first, RUNS)
    walked: list[str] = []
    error = None
    with ApiClient(server.configuration()) as client:
        try:
            # The backfill's dates are in the walk's range, before the runs walked.
            for run in DAGRunApi(client).iter_dag_runs(
                    DAG_ID, execution_date_gte=first - dt.timedelta(days=ADDED),
                    execution_date_lte=first + dt.timedelta(days=RUNS), page_size=PAGE):
                walked.append(run.dag_run_id)
                if len(walked) == PAGE:  # the first page read: the rest is asked for later
                    _add_runs(server, f"{prefix}_backfill", first + dt.timedelta(days=-ADDED),
                              ADDED)
        except PagesChangedException as raised:
            error = raised
    assert len(original) == RUNS
    return walked, error


def test_airflow3_answers_a_cursor_request_with_cursors(airflow3_server: AirflowServer) -> None:
    _add_runs(airflow3_server, "cursor_probe", dt.datetime(2005, 1, 1, tzinfo=dt.timezone.utc),
              3)
    status, answer = request_json(
        "GET", f"{airflow3_server.base_url}/dags/{DAG_ID}/dagRuns?cursor=&limit=2"
               "&order_by=logical_date&logical_date_gte=2005-01-01T00:00:00Z",
        None, _authorization(airflow3_server))
    assert status == 200
    assert len(answer["dag_runs"]) == 2
    assert isinstance(answer["next_cursor"], str) and answer["next_cursor"]
    assert answer["total_entries_limit"] == 50_000 and answer["total_entries"] == 3


def test_airflow3_walks_by_cursor_and_yields_every_run_once_while_runs_are_added(
        airflow3_server: AirflowServer) -> None:
    walked, error = _walk_while_a_backfill_lands(airflow3_server, "cursor")

    assert error is None
    assert len(walked) == len(set(walked)) == RUNS
    assert all(run_id.startswith("cursor_walked_") for run_id in walked)


def test_airflow2_walks_by_offset_and_reports_runs_added_while_it_walks(
        airflow2_server: AirflowServer) -> None:
    walked, error = _walk_while_a_backfill_lands(airflow2_server, "offset")

    assert isinstance(error, PagesChangedException)
    assert f"reported {RUNS} items at first and {RUNS + ADDED}" in str(error)
    assert len(walked) == len(set(walked)) == PAGE

"""Walking a list that changes while it is walked, by offset and by cursor, over loopback.

The server is Airflow 3.3's list of DAG runs or task instances (keyset_server.py), which pages
by cursor when asked and by offset otherwise; `cursor_aware=False` plays an Airflow 3 before 3.3,
which the SDK then walks by offset. The figures of docs/RELIABILITY.md ("Lists that change while
they are walked") are these tests' scenarios.
"""

from __future__ import annotations

from typing import Any, Optional

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import fast_retry
from reliability.keyset_server import KeysetLists, Row, runs
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.exceptions import PagesChangedException

RUNS = 1_000


def walk_runs(lists: KeysetLists, what: str = "runs") -> tuple[list[str], Optional[BaseException]]:
    """The ids of the items a walk yielded, and the error it ended with (if any)."""
    yielded: list[str] = []

    def run() -> None:
        with RecordingServer(handler=lists) as server:
            configuration = Configuration(host=server.url + "/api/v2", username="u",
                                          password="p", dialect="airflow3")
            configuration.retries = fast_retry(0)
            with ApiClient(configuration) as client:
                if what == "runs":
                    walk: Any = DAGRunApi(client).iter_dag_runs("d")
                    yielded.extend(run.dag_run_id for run in walk)
                else:
                    walk = TaskInstanceApi(client).iter_task_instances("d")
                    yielded.extend(f"{ti.task_id}[{ti.map_index}]" for ti in walk)

    outcome = call_bounded(run, 60.0)
    return yielded, outcome.error


def backfill(count: int) -> Any:
    """After each page, `count` runs dated before every other run are added."""
    def change(number: int, rows: list[Row]) -> None:
        rows.extend(runs(count, first_day=-count * number))
    return change


def clean_up(count: int) -> Any:
    """After each page, the `count` oldest runs (already read) are deleted."""
    def change(number: int, rows: list[Row]) -> None:
        rows.sort(key=lambda row: row["logical_date"])
        del rows[:count]
    return change


@pytest.mark.parametrize("change", [backfill(25), clean_up(25)], ids=["backfill", "clean-up"])
def test_by_cursor_every_run_there_all_along_is_yielded_once_whatever_is_added_or_removed(
        change: Any) -> None:
    original = runs(RUNS)
    lists = KeysetLists(list(original), between_pages=change)

    yielded, error = walk_runs(lists)

    assert error is None
    assert len(yielded) == len(set(yielded)) == RUNS
    assert set(yielded) == {row["dag_run_id"] for row in original}
    assert len(lists.requests) == RUNS // 100
    assert [query.get("cursor") is not None for query in lists.requests] == [True] * 10
    assert all("offset" not in query for query in lists.requests)


@pytest.mark.parametrize("change", [backfill(25), clean_up(25)], ids=["backfill", "clean-up"])
def test_by_offset_the_same_changes_end_the_walk_with_pages_changed(change: Any) -> None:
    lists = KeysetLists(runs(RUNS), between_pages=change, cursor_aware=False)

    yielded, error = walk_runs(lists)

    assert isinstance(error, PagesChangedException)
    assert "reported 1000 items at first and" in str(error)
    assert len(yielded) == len(set(yielded)) == 100  # the first page, then the change seen
    assert len(lists.requests) == 2


def task_instances(count: int) -> list[Row]:
    """One run's mapped task instances, all of one logical date: the order within the date is
    the task instances' ids."""
    return [{"dag_id": "d", "dag_run_id": "run0", "task_id": "mapped", "map_index": index,
             "logical_date": "2026-01-01T00:00:00+00:00", "id": f"{index + 10_000:08d}",
             "state": "success"} for index in range(count)]


def retry_once(index: int) -> Any:
    """After the first page, task instance `index` (already read) runs again: a new try has a
    new id, the largest yet, so it moves to the end of its date."""
    def change(number: int, rows: list[Row]) -> None:
        if number == 1:
            moved = next(row for row in rows if row["map_index"] == index)
            moved["id"] = "99999999"
    return change


def test_by_cursor_a_task_instance_retried_during_the_walk_is_yielded_once_and_none_missed(
        ) -> None:
    lists = KeysetLists(task_instances(300), "task_instances", between_pages=retry_once(5))

    yielded, error = walk_runs(lists, "task_instances")

    assert error is None
    assert len(yielded) == len(set(yielded)) == 300  # mapped[5] came again at the end: skipped


def test_by_offset_a_retry_during_the_walk_is_reported_as_the_item_it_made_the_walk_miss(
        ) -> None:
    lists = KeysetLists(task_instances(300), "task_instances", between_pages=retry_once(5),
                        cursor_aware=False)

    yielded, error = walk_runs(lists, "task_instances")

    assert isinstance(error, PagesChangedException)
    assert "reported 300 items but 299 could be read" in str(error)
    assert "mapped[100]" not in yielded  # moved up past the walk: the gap that is reported
    assert len(yielded) == len(set(yielded)) == 299


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    count=st.integers(0, 350),
    changes=st.lists(st.tuples(st.sampled_from(["add before", "add after", "delete", "retry"]),
                               st.integers(0, 10**6)), max_size=6),
)
def test_by_cursor_any_changes_between_pages_never_double_or_drop_what_stayed_put(
        count: int, changes: list[tuple[str, int]]) -> None:
    original = task_instances(count)
    touched: set[int] = set()  # map indexes deleted or moved: they may or may not come
    added = iter(range(10_000, 20_000))

    def change(number: int, rows: list[Row]) -> None:
        if number > len(changes):
            return
        kind, seed = changes[number - 1]
        if kind.startswith("add"):
            new = next(added)
            rows.append({**task_instances(1)[0], "map_index": new,
                         "id": f"{(0 if kind == 'add before' else 90_000_000) + new:08d}"})
        elif rows and kind == "delete":
            gone = rows.pop(seed % len(rows))
            touched.add(gone["map_index"])
        elif rows:
            moved = rows[seed % len(rows)]
            moved["id"] = f"{99_000_000 + seed % 1_000_000:08d}"
            touched.add(moved["map_index"])

    lists = KeysetLists([dict(row) for row in original], "task_instances",
                        between_pages=change)
    yielded, error = walk_runs(lists, "task_instances")

    assert error is None or isinstance(error, PagesChangedException), error
    assert len(yielded) == len(set(yielded))
    stayed = {f"mapped[{row['map_index']}]" for row in original} - {
        f"mapped[{index}]" for index in touched}
    if error is None:
        assert stayed <= set(yielded)
    assert len(lists.requests) <= count // 100 + len(changes) + 2

"""Page walks against hostile list servers, over loopback sockets, on every dialect: a server
that ignores `offset` (the same page again and again), pages that cycle, an item on many pages,
a page far larger than asked for; and the command's `list` and `runs`, run as users run them.

The guarantees these hold are paging.py's (its docstring numbers them; README.md says the same).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from typing import Any, Callable, Optional

import pytest
from reliability.fast_clients import fast_retry
from reliability.list_servers import DATE, PREFIX, ListServer, asked_limit, page
from support.bounded_call import call_bounded
from support.command_runner import clean_environment
from support.paths import REPO_ROOT
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api.x_com_api import XComApi
from airflow_python_sdk.exceptions import (
    PagesChangedException,
    ResponseTypeError,
    ResponseValueError,
)
from airflow_python_sdk.model.error import Error

DIALECTS = ("draft", "airflow2", "airflow3")
# pager name -> (kind of list, how to start the walk)
PAGERS: dict[str, tuple[str, Callable[[ApiClient], Any]]] = {
    "iter_task_instances": ("task_instances",
                            lambda client: TaskInstanceApi(client).iter_task_instances("d")),
    "iter_dag_runs": ("dag_runs", lambda client: DAGRunApi(client).iter_dag_runs("d")),
    "iter_x_com_values": ("xcom", lambda client: XComApi(client).iter_x_com_values(
        "d", "t", DATE)),
    # Two task ids: Airflow 2 and 3 are asked with their batch POST.
    "iter_task_instances (batch POST)": ("task_instances", lambda client: TaskInstanceApi(
        client).iter_task_instances("d", task_id=["a", "b"])),
}


def client_for(server: RecordingServer, dialect: str) -> ApiClient:
    configuration = Configuration(host=server.url + PREFIX[dialect], username="u",
                                  password="p", dialect=dialect)
    configuration.timeout = (2.0, 5.0)
    configuration.retries = fast_retry(0)
    return ApiClient(configuration)


def walk(server: RecordingServer, dialect: str, pager: str) -> tuple[list[Any], Optional[
        BaseException]]:
    """The items a walk yielded before it ended, and the error it ended with (if any)."""
    yielded: list[Any] = []

    def run() -> None:
        with client_for(server, dialect) as client:
            for one in PAGERS[pager][1](client):
                yielded.append(one)

    outcome = call_bounded(run, 30.0)
    return yielded, outcome.error


def identities(items: list[Any]) -> list[tuple[Any, ...]]:
    return [(one.get("task_id"), one.get("dag_run_id"), one.get("key")) for one in items]


# The draft has no batch POST: with two task ids it sends the GET of the others.
WALKS = [(dialect, pager) for dialect in DIALECTS for pager in PAGERS
         if not (dialect == "draft" and pager.endswith("(batch POST)"))]


@pytest.mark.parametrize("total", [None, 10**9], ids=["no total", "a huge total"])
@pytest.mark.parametrize(("dialect", "pager"), WALKS)
def test_a_server_that_ignores_the_offset_ends_every_walk_after_two_requests(
        dialect: str, pager: str, total: Optional[int]) -> None:
    kind = PAGERS[pager][0]
    lists = ListServer(lambda number, request: page(kind, dialect, range(100), total))
    with RecordingServer(handler=lists) as server:
        yielded, error = walk(server, dialect, pager)
        if pager.endswith("(batch POST)"):
            assert {r.method for r in server.requests if "/list" in r.path} == {"POST"}

    assert isinstance(error, PagesChangedException), error
    assert lists.lists == 2  # the first page, then the same page again: nothing new, the end
    assert len(yielded) == len(set(identities(yielded))) == 100
    assert "page 2 brought no item that was not yielded already" in str(error)


def test_pages_that_cycle_end_the_walk_at_the_first_page_that_brings_nothing_new() -> None:
    lists = ListServer(lambda number, request: page(
        "task_instances", "draft", range(100) if number % 2 == 0 else range(100, 200), None))
    with RecordingServer(handler=lists) as server:
        yielded, error = walk(server, "draft", "iter_task_instances")

    assert isinstance(error, PagesChangedException)
    assert lists.lists == 3  # A, B, then A again
    assert len(yielded) == len(set(identities(yielded))) == 200


@pytest.mark.parametrize("dialect", DIALECTS)
def test_an_item_many_times_on_a_page_and_again_on_later_pages_is_yielded_once(
        dialect: str) -> None:
    pages = {0: [7] * 100, 1: [*range(50), 7, 7], 2: []}
    lists = ListServer(lambda number, request: page("task_instances", dialect, pages[number],
                                                    None))
    with RecordingServer(handler=lists) as server:
        yielded, error = walk(server, dialect, "iter_task_instances")

    assert error is None
    assert sorted(ti.task_id for ti in yielded) == sorted(f"t{n}" for n in range(50))
    assert lists.lists == 2  # the second page is short: the last one


def test_an_item_that_moved_to_a_page_already_read_is_yielded_once_and_the_gap_reported(
        ) -> None:
    # Airflow 2.10's task-instance list has no order: a task instance whose state changed
    # comes again two pages later, and another is never sent, the count still right.
    pages = {0: range(100), 1: range(100, 200), 2: [*range(200, 299), 5]}
    lists = ListServer(lambda number, request: page("task_instances", "airflow2",
                                                    pages[number], 300))
    with RecordingServer(handler=lists) as server:
        yielded, error = walk(server, "airflow2", "iter_task_instances")

    assert len(yielded) == len(set(identities(yielded))) == 299
    assert isinstance(error, PagesChangedException)
    assert "reported 300 items but 299 could be read" in str(error)


def test_pages_changed_reads_as_every_status_error_does() -> None:
    lists = ListServer(lambda number, request: page("task_instances", "draft", range(100),
                                                    None))
    with RecordingServer(handler=lists) as server:
        _, error = walk(server, "draft", "iter_task_instances")

    assert isinstance(error, PagesChangedException)
    assert isinstance(error.error, Error)
    assert error.error.title == "iter_task_instances: the list changed while its pages were read"
    assert str(error) == (
        "409 Pages changed: iter_task_instances: the list changed while its pages were read: "
        "page 2 brought no item that was not yielded already: the server ignores the offset, "
        "or its list moved under the walk; stopped after 2 requests (100 yielded)")
    assert "{" not in str(error)  # no raw JSON


# -- a page larger than asked for ---------------------------------------------------------------

EMPTY_OBJECTS = 300_000


@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_page_with_more_items_than_asked_for_is_refused_before_it_becomes_models(
        dialect: str) -> None:
    body = json.dumps({"task_instances": [{}] * EMPTY_OBJECTS, "total_entries": 5}).encode()
    with RecordingServer(handler=lambda request: (
            Reply.json({"access_token": "t"}, status=201) if request.path.endswith("/token")
            else Reply(200, body, [("Content-Type", "application/json")]))) as server:
        tracemalloc.start()
        try:
            yielded, error = walk(server, dialect, "iter_task_instances")
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    assert yielded == []
    assert isinstance(error, ResponseValueError), error
    assert f"the page holds {EMPTY_OBJECTS} items in `task_instances`, more than the limit of " \
           "100" in str(error)
    # The 1.2 MB page parsed is about 23 MB; as models it was 84 MB before it was refused.
    assert peak < 40_000_000, peak


def test_a_direct_call_answered_with_more_items_than_its_limit_is_refused() -> None:
    with RecordingServer(handler=lambda request: Reply.json(
            page("task_instances", "draft", range(11), 11))) as server, \
            client_for(server, "draft") as client:
        with pytest.raises(ResponseValueError) as caught:
            TaskInstanceApi(client).get_task_instances("d", limit=10)
        assert len(TaskInstanceApi(client).get_task_instances("d").task_instances) == 11
    assert "more than the limit of 10" in str(caught.value)


# -- the command ----------------------------------------------------------------------------------

def run_command(server: RecordingServer, dialect: str, *arguments: str
                ) -> subprocess.CompletedProcess[str]:
    environment = clean_environment(
        AIRFLOW_API_HOST=server.url + PREFIX[dialect], AIRFLOW_API_USERNAME="u",
        AIRFLOW_API_PASSWORD="p", AIRFLOW_API_DIALECT=dialect, AIRFLOW_API_TIMEOUT="5")
    return subprocess.run([sys.executable, "-m", "airflow_python_sdk", *arguments],
                          capture_output=True, text=True, env=environment, timeout=60,
                          cwd=REPO_ROOT, check=False)


@pytest.mark.parametrize("arguments", [("list",), ("list", "--count"), ("runs",),
                                       ("runs", "--count")], ids=" ".join)
@pytest.mark.parametrize("dialect", ["draft", "airflow3"])
def test_the_commands_list_and_runs_end_against_a_server_that_ignores_the_offset(
        dialect: str, arguments: tuple[str, ...]) -> None:
    kind = "dag_runs" if arguments[0] == "runs" else "task_instances"
    # No total: `list --count` then counts by walking, as it does for servers that count nothing.
    lists = ListServer(lambda number, request: page(
        kind, dialect, range(min(100, asked_limit(request))), None))
    with RecordingServer(handler=lists) as server:
        finished = run_command(server, dialect, *arguments)

    assert finished.returncode == 5, finished.stderr  # an API error
    assert "409 iter_" in finished.stderr and "page 2 brought no item" in finished.stderr
    assert "Traceback" not in finished.stderr and "{" not in finished.stderr
    assert lists.lists <= 3  # `list --count` asks for the count once first


def test_the_command_counts_nothing_twice_and_ends_when_pages_cycle() -> None:
    lists = ListServer(lambda number, request: page(
        "dag_runs", "airflow2", range(100) if number % 2 == 0 else range(100, 200), None))
    with RecordingServer(handler=lists) as server:
        finished = run_command(server, "airflow2", "runs", "--json")

    assert finished.returncode == 5
    runs = [json.loads(line)["dag_run_id"] for line in finished.stdout.splitlines()]
    assert len(runs) == len(set(runs)) == 200
    assert lists.lists == 3


# -- items a walk yields are read when first used -------------------------------------------------

@pytest.mark.parametrize("dialect", DIALECTS)
def test_a_bad_value_in_a_walks_item_raises_when_that_item_is_read_naming_it(
        dialect: str) -> None:
    def bad_third(number: int, request: Any) -> Any:
        document = page("task_instances", dialect, range(5), 5)
        document["task_instances"][3]["try_number"] = "three"
        return document

    lists = ListServer(bad_third)
    with RecordingServer(handler=lists) as server:
        yielded, error = walk(server, dialect, "iter_task_instances")
        with client_for(server, dialect) as client, pytest.raises(ResponseTypeError) as direct:
            TaskInstanceApi(client).get_task_instances("d", limit=100)

    assert error is None and len(yielded) == 5  # the walk reads identities, not the items
    assert [ti.task_id for n, ti in enumerate(yielded) if n != 3] == ["t0", "t1", "t2", "t4"]
    with pytest.raises(ResponseTypeError) as caught:
        yielded[3].try_number  # noqa: B018
    assert caught.value.status == 200
    assert caught.value.path_to_item == direct.value.path_to_item
    assert list(caught.value.path_to_item)[-3:] == ["task_instances", 3, "try_number"]
    assert "'three'" in str(caught.value)
    # A direct call still reads its whole answer before it returns (above); so does the walk's
    # item once read at all: any field of it raises the same.
    with pytest.raises(ResponseTypeError):
        yielded[3].to_dict()

"""Every example in the generated docs does what it says, against the embedded Airflow API
server: one per operation and pager, each answered, the bulk examples dry runs. (That each runs as
printed is test/documentation's; this checks what each one does, with the same runner.)"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from documentation.reader import as_reader, run_python
from support.paths import REPO_ROOT

from airflow_python_sdk.testing import AirflowApiServer, TaskInstanceKey
from tools.generator.parse import parse

TRANSFORM = TaskInstanceKey("etl_daily", "transform", datetime(2026, 11, 26, tzinfo=timezone.utc))
SPEC = parse(REPO_ROOT / "openapi.yaml")
OPERATIONS = {(api.name, op.name): op for api in SPEC.apis for op in api.operations}
PAGERS = {(api.name, op.pager.name): op for api in SPEC.apis for op in api.operations
          if op.pager}
# The hand-written methods the API classes inherit (x-python-mixin), documented with the rest.
MIXIN_METHODS = {(api.name, method.name): method for api in SPEC.apis if api.mixin
                 for method in api.mixin.methods}


ACCESSORS = ("with_http_info", "without_preload_content", "in_background")


def examples() -> dict[tuple[str, str], str]:
    """Each API doc's examples by what they call: an operation, a pager, or ("variants", the
    operation) for the one that calls an operation through every accessor."""
    by_operation = {}
    for api in SPEC.apis:
        text = (REPO_ROOT / "docs" / f"{api.name}.md").read_text()
        for block in re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL):
            called = set(re.findall(r"api_instance\.((?:\w+\.)?\w+)\(", block))
            if {name.split(".")[0] for name in called} == set(ACCESSORS):
                (operation,) = {name.split(".")[1] for name in called}
                by_operation[(api.name, ("variants", operation))] = block
            else:
                (operation,) = called
                by_operation[(api.name, operation)] = block
    return by_operation


def variants_examples() -> dict[str, tuple[str, str]]:
    """API class -> (operation, the example calling it through each accessor)."""
    return {api: (key[1], block) for (api, key), block in examples().items()
            if isinstance(key, tuple)}


def run(block: str, server: AirflowApiServer, tmp_path: Path) -> str:
    """The example as printed, with the environment docs/GETTING_STARTED.md has readers set."""
    env = {"AIRFLOW_API_HOST": server.url, "AIRFLOW_API_USERNAME": "admin",
           "AIRFLOW_API_PASSWORD": "admin"}
    with as_reader(env, tmp_path):
        return run_python(block, "<docs example>")


def api_requests(server: AirflowApiServer) -> list[int]:
    """The statuses of the requests the example made to the API's operations (not of a dialect
    asking the server's /version)."""
    return [entry.status for entry in server.request_log.entries()
            if not entry.path.endswith("/version")]


@pytest.fixture(scope="module")
def server():
    with AirflowApiServer() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_data(server):
    server.reset()


def test_there_is_one_example_per_operation_and_iterating_companion_of_every_api_class():
    plain = [key for key in examples() if isinstance(key[1], str)]
    assert sorted(plain) == sorted([*OPERATIONS, *PAGERS, *MIXIN_METHODS])
    assert sorted(variants_examples()) == sorted({api for api, _ in OPERATIONS})
    assert sorted(MIXIN_METHODS) == [("DAGRunApi", "trigger_dag_run_and_wait"),
                                     ("DAGRunApi", "wait_for_dag_run"),
                                     ("TaskInstanceApi", "wait_for_task_instances")]
    assert {name for _, name in PAGERS} == {
        "iter_task_instances", "iter_dag_runs", "iter_x_com_values", "iter_dags"}
    assert {name for name, _ in OPERATIONS} == {
        "DAGApi", "DAGRunApi", "PoolApi", "TaskInstanceApi", "XComApi"}
    assert ("TaskInstanceApi", "get_task_instances") in OPERATIONS
    assert ("PoolApi", "get_task_instances") in OPERATIONS


@pytest.mark.parametrize(("api", "operation"), sorted(
    key for key, op in OPERATIONS.items() if op.return_model is not None))
def test_example_runs_and_prints_its_answer(server, api, operation, tmp_path):
    output = run(examples()[(api, operation)], server, tmp_path)
    assert "Exception when calling" not in output, output
    op = OPERATIONS[(api, operation)]
    # Operations with optional parameters have two calls in their example: each is answered
    # and its answer printed (whatever the models' printed form).
    calls = 2 if op.optional_params else 1
    assert api_requests(server) == [200] * calls
    assert len([line for line in output.splitlines() if not line.startswith(" ")]) >= calls


def test_update_example_marks_the_task_instance_succeeded(server, tmp_path):
    run(examples()[("TaskInstanceApi", "update_task_instance")], server, tmp_path)
    paths = [entry for entry in server.request_log.entries() if entry.method == "PATCH"]
    assert len(paths) == 2
    state = server.store.get(TRANSFORM).fields["state"]
    assert state == "success"


def test_delete_example_deletes_the_task_instance(server, tmp_path):
    assert run(examples()[("TaskInstanceApi", "delete_task_instance")], server, tmp_path) == ""
    output = run(examples()[("TaskInstanceApi", "get_task_instance")], server, tmp_path)
    assert "Exception when calling TaskInstanceApi->get_task_instance" in output
    assert "404" in output


def test_the_bulk_examples_are_dry_runs_that_change_nothing(server, tmp_path):
    clear = run(examples()[("DAGApi", "clear_task_instances")], server, tmp_path)
    assert "transform" in clear  # what a real clear would reset
    marked = run(examples()[("DAGApi", "update_task_instances_state")], server, tmp_path)
    assert "transform" in marked
    assert server.store.get(TRANSFORM).fields["state"] == "failed"


def test_the_tries_example_lists_both_tries(server, tmp_path):
    output = run(examples()[("TaskInstanceApi", "get_task_instance_tries")], server, tmp_path)
    # Both calls print both tries, whatever the models' printed form.
    assert len(re.findall(r"try_number\W{1,4}1\b", output)) == 2, output
    assert len(re.findall(r"try_number\W{1,4}2\b", output)) == 2, output


@pytest.mark.parametrize(("api", "pager"), sorted(PAGERS))
def test_iterating_example_prints_every_item(server, api, pager, tmp_path):
    output = run(examples()[(api, pager)], server, tmp_path)
    assert "Exception when calling" not in output, output
    # iter_dags takes no required argument: it walks every DAG of the sample data (eight).
    expected = {"iter_task_instances": 4, "iter_dag_runs": 2, "iter_x_com_values": 2,
                "iter_dags": 8}[pager]
    # One line per item printed (whatever the models' printed form) after one page's request.
    assert api_requests(server) == [200]
    assert len([line for line in output.splitlines() if not line.startswith(" ")]) == expected


def test_the_trigger_example_makes_a_queued_run_with_its_conf_and_note(server, tmp_path):
    output = run(examples()[("DAGRunApi", "trigger_dag_run")], server, tmp_path)
    assert "Exception when calling" not in output, output
    runs = [run for (dag_id, _), run in server.store.transact(lambda t: t.runs).items()
            if dag_id == "etl_daily" and run["dag_run_id"] == "manual_example"]
    assert [(r["state"], r["conf"], r["note"]) for r in runs] == [
        ("queued", {"rows": 10}, "from the docs")]


def test_the_pause_examples_pause_and_the_run_examples_keep_the_task_instances(server, tmp_path):
    run(examples()[("DAGApi", "update_dag")], server, tmp_path)
    assert server.store.dag("etl_daily").fields["is_paused"] is True
    run(examples()[("DAGApi", "update_dags")], server, tmp_path)  # dag_id_pattern "etl"
    assert server.store.dag("etl_daily").fields["is_paused"] is True
    assert server.store.dag("reporting").fields["is_paused"] is False
    cleared = run(examples()[("DAGRunApi", "clear_dag_run")], server, tmp_path)
    assert "transform" in cleared  # what a real clear would reset
    assert server.store.get(TRANSFORM).fields["state"] == "failed"


def test_the_wait_examples_wait_for_what_has_finished(server, tmp_path):
    output = run(examples()[("DAGRunApi", "wait_for_dag_run")], server, tmp_path)
    assert output == "scheduled__2026-11-26T00:00:00+00:00 failed\n"
    output = run(examples()[("TaskInstanceApi", "wait_for_task_instances")], server, tmp_path)
    assert output == "transform failed 2\n"
    # One request each: what they wait for has finished.
    assert api_requests(server) == [200, 200]


def test_the_trigger_and_wait_example_runs_a_dag(server, tmp_path):
    server.scheduler.start(pace=0)
    try:
        output = run(examples()[("DAGRunApi", "trigger_dag_run_and_wait")], server, tmp_path)
    finally:
        server.scheduler.stop()
    # ml_training's train_model fails on try 1 and succeeds on its retry: nothing is left.
    assert output == "success []\n"
    methods = [entry.method for entry in server.request_log.entries()
               if not entry.path.endswith("/version")]
    assert methods[:1] == ["POST"] and set(methods[1:]) == {"GET"}, methods


@pytest.mark.parametrize("api", sorted({api for api, _ in OPERATIONS}))
def test_the_accessors_example_prints_status_headers_the_unread_answer_and_the_model(
        server, api, tmp_path):
    operation, block = variants_examples()[api]

    output = run(block, server, tmp_path)

    assert "Exception when calling" not in output, output
    # One request per accessor, each answered.
    assert api_requests(server) == [200] * 3
    with_info, unread, *model = output.splitlines()
    return_model = OPERATIONS[(api, operation)].return_model
    assert with_info == f"200 application/json {return_model}", output
    assert re.fullmatch(r"200 [1-9]\d* bytes", unread), output
    assert model and "Exception" not in output, output  # the background call's model, printed
    # Every accessor's call makes the same request.
    requests = {(entry.method, entry.path) for entry in server.request_log.entries()
                if not entry.path.endswith("/version")}
    assert len(requests) == 1, requests

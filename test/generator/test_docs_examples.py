"""Every example in the generated docs runs, unchanged but for its placeholders, against the
embedded Airflow API server, and does what it says."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from airflow_python_sdk.testing import AirflowApiServer

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs/TaskInstanceApi.md"


def examples() -> dict[str, str]:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.DOTALL)
    by_operation = {}
    for block in blocks:
        (operation,) = set(re.findall(r"api_instance\.(\w+)\(", block))
        by_operation[operation] = block
    return by_operation


def run(block: str, server: AirflowApiServer) -> str:
    source = (block.replace('"http://localhost/api/v1"', f'"{server.url}"')
              .replace('"YOUR_USERNAME"', '"admin"').replace('"YOUR_PASSWORD"', '"admin"')
              .replace('"dag_id_example"', '"etl_daily"')
              .replace('"task_id_example"', '"transform"'))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        # A fresh namespace: the example must import everything it uses.
        exec(compile(source, "<docs example>", "exec"), {"__name__": "docs_example"})
    return printed.getvalue()


@pytest.fixture(scope="module")
def server():
    with AirflowApiServer() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh_data(server):
    server.reset()


def test_there_is_one_example_per_operation():
    assert sorted(examples()) == [
        "delete_task_instance", "get_extra_links", "get_logs", "get_task_instance",
        "update_task_instance",
    ]


@pytest.mark.parametrize("operation", ["get_extra_links", "get_logs", "get_task_instance",
                                       "update_task_instance"])
def test_example_runs_and_prints_its_answer(server, operation):
    output = run(examples()[operation], server)
    assert "Exception when calling" not in output, output
    # Models print as the dict of their fields, as the generated clients printed them.
    expected = {"get_extra_links": "{'extra_links': ", "get_logs": "{'content': ",
                "get_task_instance": "'task_id': 'transform'",
                "update_task_instance": "'task_id': 'transform'"}
    # Operations with optional parameters have two calls in their example.
    calls = 2 if operation in ("get_logs", "update_task_instance") else 1
    assert output.count(expected[operation]) == calls, output


def test_update_example_marks_the_task_instance_succeeded(server):
    run(examples()["update_task_instance"], server)
    paths = [entry for entry in server.request_log.entries() if entry.method == "PATCH"]
    assert len(paths) == 2
    output = run(examples()["get_task_instance"], server)
    assert "'state': 'success'" in output


def test_delete_example_deletes_the_task_instance(server):
    assert run(examples()["delete_task_instance"], server) == ""
    output = run(examples()["get_task_instance"], server)
    assert "Exception when calling TaskInstanceApi->get_task_instance" in output
    assert "404" in output

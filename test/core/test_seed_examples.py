"""Every example of the seed document, run against the recording server.

Only placeholders are replaced: the host, the credentials, the DAG id and the date-time
"<field>_example" strings. The examples use three names they never import, as the original
client's documentation did; they run in a namespace that predefines exactly those.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import re

import pytest
from core.payloads import (
    API_PREFIX,
    EXTRA_LINKS_PAYLOAD,
    LOG_CHUNK_PAYLOAD,
    PASSWORD,
    SEED_DOCUMENT,
    TASK_INSTANCE_PAYLOAD,
    USERNAME,
    parse_rfc3339,
    task_instance_path_values,
)
from dateutil.parser import parse as dateutil_parser
from support.recording_server import RecordedRequest, Reply

from airflow_python_sdk.model.sla_miss import SLAMiss
from airflow_python_sdk.model.task_state import TaskState

EXAMPLE_DATE = "2026-11-26T00:00:00+00:00"
DATE_TIME_PLACEHOLDERS = [
    "execution_date_example",
    "start_date_example",
    "end_date_example",
    "queued_dttm_example",
    "timestamp_example",
]
BASIC_AUTH = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
SEED_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)

# operation -> (method, path after the execution date, query of each call in order)
PROMISED = {
    "delete_task_instance": ("DELETE", [], [{}]),
    "get_extra_links": ("GET", ["links"], [{}]),
    "get_logs": ("GET", ["logs", "1"], [{}, {"full_content": ["true"], "token": ["true"]}]),
    "get_task_instance": ("GET", [], [{}]),
    "update_task_instance": ("PATCH", [], [{}, {"update_mask": ["update_mask_example"]}]),
}

# What each example's pprint of the answer shows, given answer_like_airflow's answers.
PRINTED = {
    "delete_task_instance": "",
    "get_extra_links": "https://airflow.example/logs/1",
    "get_logs": "Starting attempt 1 of 1",
    "get_task_instance": "BashOperator",
    "update_task_instance": "BashOperator",
}


def seed_examples() -> dict:
    """The python blocks of the seed document, by the operation each one calls."""
    text = SEED_DOCUMENT.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    examples = {}
    for block in blocks:
        operations = set(re.findall(r"api_instance\.(\w+)\(", block))
        assert len(operations) == 1, operations
        examples[operations.pop()] = block
    return examples


def with_placeholders_replaced(block: str, api_url: str) -> str:
    host_line = 'host = "http://localhost/api/v1"'
    assert block.count(host_line) == 1
    block = block.replace(host_line, f'host = "{api_url}"')
    credentials = "    username = 'YOUR_USERNAME',\n"
    assert block.count(credentials) == 1
    block = block.replace(credentials, f'    host = "{api_url}",\n' + credentials)
    block = block.replace("'YOUR_USERNAME'", repr(USERNAME))
    block = block.replace("'YOUR_PASSWORD'", repr(PASSWORD))
    block = block.replace('"dag_id_example"', '"feas_dag"')
    for placeholder in DATE_TIME_PLACEHOLDERS:
        block = block.replace(f'"{placeholder}"', f'"{EXAMPLE_DATE}"')
    return block


def answer_like_airflow(request: RecordedRequest) -> Reply:
    if request.method == "DELETE":
        return Reply.no_content()
    if request.path.endswith("/links"):
        return Reply.json(EXTRA_LINKS_PAYLOAD)
    if "/logs/" in request.path:
        return Reply.json(LOG_CHUNK_PAYLOAD)
    return Reply.json(TASK_INSTANCE_PAYLOAD)


def test_the_seed_document_has_one_example_per_operation():
    assert sorted(seed_examples()) == sorted(PROMISED)


@pytest.mark.parametrize("operation", sorted(PROMISED))
def test_seed_example_runs_and_sends_the_promised_request(server, operation):
    server.handler = answer_like_airflow
    source = with_placeholders_replaced(seed_examples()[operation], server.url + API_PREFIX)
    namespace = {
        "__name__": f"seed_example_{operation}",
        "dateutil_parser": dateutil_parser,
        "TaskState": TaskState,
        "SLAMiss": SLAMiss,
    }
    printed = io.StringIO()

    with contextlib.redirect_stdout(printed):
        exec(compile(source, f"<seed example {operation}>", "exec"), namespace)

    output = printed.getvalue()
    assert "Exception when calling" not in output, output
    method, tail, queries = PROMISED[operation]
    requests = server.requests
    assert [r.method for r in requests] == [method] * len(queries)
    for request, query in zip(requests, queries):
        values = task_instance_path_values(request.path)
        assert values[:3] == ["feas_dag", "taskInstances", "1"]
        assert parse_rfc3339(values[3]) == SEED_EPOCH
        assert values[4:] == tail
        assert request.query_params == query
        assert request.header("Authorization") == BASIC_AUTH
    # Each example pprints the answer it got (delete has none to print).
    assert PRINTED[operation] in output, output


def test_seed_update_example_sends_the_task_instance_it_builds(server):
    server.handler = answer_like_airflow
    source = with_placeholders_replaced(
        seed_examples()["update_task_instance"], server.url + API_PREFIX
    )
    namespace = {"dateutil_parser": dateutil_parser, "TaskState": TaskState, "SLAMiss": SLAMiss}

    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "<seed example update_task_instance>", "exec"), namespace)

    for request in server.requests:
        body = request.json()
        assert body["task_id"] == "task_id_example"
        assert body["dag_id"] == "feas_dag"
        assert body["state"] == "success"
        assert body["duration"] == 3.14
        assert body["executor_config"] == "executor_config_example"
        for field in ("execution_date", "start_date", "end_date", "queued_dttm"):
            assert parse_rfc3339(body[field]) == parse_rfc3339(EXAMPLE_DATE)
        sla_miss = body["sla_miss"]
        assert "task_id" not in sla_miss  # read-only: never sent
        assert sla_miss["dag_id"] == "feas_dag"
        assert sla_miss["email_sent"] is True
        assert parse_rfc3339(sla_miss["timestamp"]) == parse_rfc3339(EXAMPLE_DATE)
    assert len(server.requests) == 2

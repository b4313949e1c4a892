"""A log answer's other fields and its continuation token, bounded like every answer.

`iter_log_chunks` (what `write_logs` and `airflow-sdk logs --output` use) reads a log answer as
it arrives and keeps only what lies outside its `content`: that part is bounded by
`max_answer_bytes`, as a whole answer read at once is. A continuation token is sent back in the
next request's URL: one longer than a URL can carry (`LONGEST_TOKEN`) is the server's error,
never an 8 MB URL.
"""

from __future__ import annotations

import json
import tracemalloc
from typing import Any, Callable

import pytest
from reliability.fast_clients import EXECUTION_DATE, fast_retry
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk._operation.tokens import LONGEST_TOKEN
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.exceptions import AnswerTooLargeError, ResponseValueError
from airflow_python_sdk.log_follow import follow_logs, iter_log_chunks

MIB = 1024 * 1024


def api_for(server: RecordingServer, dialect: str = "draft", **settings: Any) -> TaskInstanceApi:
    prefix = "/api/v2" if dialect == "airflow3" else "/api/v1"
    configuration = Configuration(host=server.url + prefix, username="u", password="p",
                                  dialect=dialect)
    configuration.retries = fast_retry(0)
    configuration.timeout = (2.0, 20.0)
    for name, value in settings.items():
        setattr(configuration, name, value)
    return TaskInstanceApi(ApiClient(configuration))


def log_answer(document: dict[str, Any]) -> Callable[[Any], Reply]:
    body = json.dumps(document).encode()

    def handler(request: Any) -> Reply:
        if request.path.endswith("/auth/token"):
            return Reply.json({"access_token": "t"}, status=201)
        if request.path.endswith("/dagRuns"):  # Airflow 3 looks the run up first
            return Reply.json({"dag_runs": [{"dag_id": "d", "dag_run_id": "r",
                                             "logical_date": EXECUTION_DATE.isoformat()}],
                               "total_entries": 1})
        return Reply(200, body, [("Content-Type", "application/json")])

    return handler


def test_a_huge_field_beside_the_content_is_bounded_by_max_answer_bytes() -> None:
    answer = log_answer({"content": "line\n", "unknown": "x" * (24 * MIB),
                         "continuation_token": None})
    with RecordingServer(handler=answer) as server:
        api = api_for(server, max_answer_bytes=MIB)
        tracemalloc.start()
        try:
            outcome = call_bounded(lambda: list(iter_log_chunks(
                api, "d", "t", EXECUTION_DATE, 1, until_ended=False)), 60.0)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        api.api_client.close()

    assert isinstance(outcome.error, AnswerTooLargeError), outcome.error
    assert outcome.error.limit == MIB and outcome.error.status == 200
    assert peak < 8 * MIB, peak  # it was 70 MB, the field kept whole and parsed


@pytest.mark.parametrize("reader", ["iter_log_chunks", "follow_logs"])
@pytest.mark.parametrize("dialect", ["draft", "airflow3"])
def test_a_continuation_token_no_url_can_carry_is_never_sent_back(
        dialect: str, reader: str) -> None:
    answer = log_answer({"content": "line\n", "continuation_token": "t" * (8 * MIB)})
    with RecordingServer(handler=answer) as server:
        api = api_for(server, dialect)
        read = iter_log_chunks if reader == "iter_log_chunks" else follow_logs
        texts: list[str] = []
        outcome = call_bounded(lambda: texts.extend(read(
            api, "d", "t", EXECUTION_DATE, 1, poll_interval=0.0)), 60.0)
        logs = [r for r in server.requests if "/logs/" in r.path]
        api.api_client.close()

    assert isinstance(outcome.error, ResponseValueError), outcome.error
    assert f"{8 * MIB} characters long, more than the {LONGEST_TOKEN}" in str(outcome.error)
    assert "tttt" not in str(outcome.error)
    assert texts == ["line\n"]  # what came before the token is read
    assert len(logs) == 1 and all(len(r.target) < 1000 for r in server.requests)


def test_a_token_as_long_as_a_url_can_carry_is_sent_back() -> None:
    token = "t" * LONGEST_TOKEN
    answers = iter([{"content": "one\n", "continuation_token": token},
                    {"content": "two\n", "continuation_token": None}])
    with RecordingServer(handler=lambda request: Reply.json(next(answers))) as server:
        api = api_for(server)
        texts = list(iter_log_chunks(api, "d", "t", EXECUTION_DATE, 1))
        api.api_client.close()
        assert server.requests[1].query_params["token"] == [token]
    assert texts == ["one\n", "two\n"]

"""Following a log with log_follow ends on every dialect, and a finished log reads the same
twice. The servers answer like the real ones: Airflow 2 hands out a token even after the last
line and answers an empty chunk for it; Airflow 3's token is null once the log has ended."""

from __future__ import annotations

from typing import Callable

import pytest
from dialects.recorded_answers import DAG_ID, EXECUTION_DATE, document, recorded, token_reply
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.log_follow import follow_log_chunks

MAX_ANSWERS = 10


def airflow2_logs(request: RecordedRequest) -> Reply:
    if request.path.endswith("/dagRuns"):
        return recorded("v2_dagruns_by_date.json")
    if "token" in request.query_params:
        return recorded("v2_logs_echo_ok_token.json")
    return recorded("v2_logs_echo_ok_json.json")


def airflow3_logs(request: RecordedRequest) -> Reply:
    if request.path == "/auth/token":
        return token_reply()
    if request.path.endswith("/dagRuns"):
        return recorded("v3_dagruns_by_date.json")
    return recorded("v3_logs_echo_ok_json.json")


def follow(api: TaskInstanceApi) -> list[str]:
    chunks = []
    for chunk in follow_log_chunks(api, DAG_ID, "echo_ok", EXECUTION_DATE, 1,
                                   poll_interval=0.01):
        chunks.append(chunk.content)
        assert len(chunks) <= MAX_ANSWERS, "the log never ended"
    return chunks


@pytest.mark.parametrize(
    ("dialect", "prefix", "handler", "answers"),
    [("airflow2", "/api/v1", airflow2_logs, 2), ("airflow3", "/api/v2", airflow3_logs, 1)],
)
def test_a_finished_log_ends_and_reads_the_same_twice(
        server: RecordingServer, make_api, dialect: str, prefix: str,
        handler: Callable[[RecordedRequest], Reply], answers: int) -> None:
    server.handler = handler
    api = make_api(dialect, prefix)

    first = follow(api)
    second = follow(api)

    assert len(first) == answers
    assert "".join(first) == "".join(second)
    assert "line 20 of output from echo_ok" in "".join(first)


def test_airflow2_keeps_following_while_the_try_runs(server: RecordingServer,
                                                     make_api) -> None:
    running = "eyJlbmRfb2ZfbG9nIjpmYWxzZSwibG9nX3BvcyI6MTB9.sig"  # end_of_log: false
    ended = document("v2_logs_echo_ok_token.json")["continuation_token"]
    server.answer(
        recorded("v2_dagruns_by_date.json"),
        Reply.json({"content": "[('vm', 'started\\n')]", "continuation_token": running}),
        Reply.json({"content": "[('vm', '')]", "continuation_token": running}),
        Reply.json({"content": "[('vm', 'done\\n')]", "continuation_token": ended}),
        Reply.json({"content": "[('vm', '')]", "continuation_token": ended}),
    )

    chunks = follow(make_api("airflow2", "/api/v1"))

    assert chunks == ["started\n", "", "done\n", ""]


def test_airflow2_handing_back_the_same_token_ends_the_log(server: RecordingServer,
                                                           make_api) -> None:
    # A log handler that ignores the position and repeats the whole log with the token it was
    # given: the position did not move, so the SDK ends the log instead of looping forever.
    ended = document("v2_logs_echo_ok_token.json")["continuation_token"]
    repeated = Reply.json({"content": "[('vm', 'the whole log\\n')]",
                           "continuation_token": ended})
    server.answer(recorded("v2_dagruns_by_date.json"), repeated, repeated, repeated)

    chunks = follow(make_api("airflow2", "/api/v1"))

    assert chunks == ["the whole log\n", "the whole log\n"]
    assert len(server.requests) == 3

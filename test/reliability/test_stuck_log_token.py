"""A log whose server hands back the continuation token it was given, with text, forever: reading
what is there stops, and following backs off instead of polling as fast as the server answers."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from reliability.fast_clients import EXECUTION_DATE, PASSWORD, USERNAME
from support.bounded_call import call_bounded
from support.recording_server import RecordedRequest, RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.main import main
from airflow_python_sdk.log_follow import STUCK_WAIT_MAX, follow_log_chunks, iter_log_chunks

BOUND_S = 10.0
RUNS = {"dag_runs": [{"dag_run_id": "run_1", "logical_date": "2026-11-26T00:00:00+00:00"}],
        "total_entries": 1}
PREFIX = {"draft": "/api/v1", "airflow3": "/api/v2"}


def stuck(dialect: str):
    def answer(request: RecordedRequest) -> Reply:
        if request.path == "/auth/token":
            return Reply.json({"access_token": "tok"}, status=201)
        if request.path.endswith("/dagRuns"):
            return Reply.json(RUNS)
        content: Any = "x\n"
        if dialect == "airflow3":
            content = [{"event": "x", "timestamp": "2026-11-26T00:00:01Z"}]
        return Reply.json({"content": content, "continuation_token": "stuck"})
    return answer


def api_for(server: RecordingServer, dialect: str) -> TaskInstanceApi:
    config = airflow_python_sdk.Configuration(host=server.url + PREFIX[dialect],
                                              username=USERNAME, password=PASSWORD,
                                              dialect=dialect, timeout=(2.0, 2.0))
    return TaskInstanceApi(airflow_python_sdk.ApiClient(config))


def log_requests(server: RecordingServer) -> int:
    return sum("/logs/" in request.path for request in server.requests)


@pytest.mark.parametrize("dialect", ["draft", "airflow3"])
def test_reading_what_is_there_stops_when_the_token_does_not_move(dialect):
    with RecordingServer() as server:
        server.handler = stuck(dialect)
        api = api_for(server, dialect)

        outcome = call_bounded(lambda: list(follow_log_chunks(
            api, "etl", "extract", EXECUTION_DATE, 1, until_ended=False)), BOUND_S)
        api.api_client.close()

        assert outcome.error is None, repr(outcome.error)
        # The first answer's token is new; the second hands it back: caught up.
        assert log_requests(server) == 2
        assert [chunk.continuation_token for chunk in outcome.result] == ["stuck", "stuck"]


@pytest.mark.parametrize("dialect", ["draft", "airflow3"])
def test_following_a_token_that_does_not_move_backs_off(dialect):
    waits: list[float] = []
    with RecordingServer() as server:
        server.handler = stuck(dialect)
        api = api_for(server, dialect)

        chunks = follow_log_chunks(api, "etl", "extract", EXECUTION_DATE, 1, poll_interval=0.0,
                                   sleep=waits.append)
        outcome = call_bounded(lambda: list(itertools.islice(chunks, 10)), BOUND_S)
        api.api_client.close()

    assert outcome.error is None, repr(outcome.error)
    assert waits[:6] == [1.0, 2.0, 4.0, 8.0, 16.0, STUCK_WAIT_MAX]
    assert all(wait == STUCK_WAIT_MAX for wait in waits[6:])


def test_the_logs_command_ends_on_a_token_that_does_not_move(capsys):
    with RecordingServer() as server:
        server.handler = stuck("draft")

        code = main(["logs", "etl", "extract", "2026-11-26T00:00:00+00:00", "--try", "1",
                     "--host", server.url + "/api/v1", "--json"], environ={})
        requests = log_requests(server)

    assert code == exit_codes.OK
    assert requests == 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["content"] for line in lines] == ["x\n", "x\n"]


def test_a_log_read_as_it_arrives_stops_when_the_token_does_not_move():
    # iter_log_chunks (what write_logs and `logs --output` use) reads answers as streams; it
    # follows tokens by the same rule as follow_log_chunks.
    with RecordingServer() as server:
        server.handler = stuck("draft")
        api = api_for(server, "draft")

        outcome = call_bounded(lambda: list(iter_log_chunks(
            api, "etl", "extract", EXECUTION_DATE, 1, until_ended=False)), BOUND_S)
        api.api_client.close()

    assert outcome.error is None, repr(outcome.error)
    assert log_requests(server) == 2
    assert outcome.result == ["x\n", "x\n"]


def test_a_log_read_as_it_arrives_backs_off_when_followed():
    waits: list[float] = []
    with RecordingServer() as server:
        server.handler = stuck("draft")
        api = api_for(server, "draft")

        pieces = iter_log_chunks(api, "etl", "extract", EXECUTION_DATE, 1, poll_interval=0.0,
                                 sleep=waits.append)
        outcome = call_bounded(lambda: list(itertools.islice(pieces, 10)), BOUND_S)
        api.api_client.close()

    assert outcome.error is None, repr(outcome.error)
    assert waits[:6] == [1.0, 2.0, 4.0, 8.0, 16.0, STUCK_WAIT_MAX]

"""follow_logs and write_logs over real HTTP: tokens followed, polls while nothing is new."""

from __future__ import annotations

import io
import time
from typing import Iterator

import pytest
from cli.log_replies import API_PREFIX, chunk, running_task_replies
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import ApiClient, Configuration, NotFoundException
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.log_follow import follow_log_chunks, follow_logs, write_logs
from airflow_python_sdk.testing.server import AirflowApiServer

DATE = "2026-11-26T00:00:00+00:00"


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture
def api(server: RecordingServer) -> Iterator[TaskInstanceApi]:
    configuration = Configuration(host=server.url + API_PREFIX, username="u", password="p")
    with ApiClient(configuration) as client:
        yield TaskInstanceApi(client)


def _tokens_sent(server: RecordingServer) -> list[object]:
    return [request.query_params.get("token", [None])[0] for request in server.requests]


def test_it_follows_tokens_and_polls_while_nothing_is_new(
    server: RecordingServer, api: TaskInstanceApi
) -> None:
    server.answer(*running_task_replies())
    waits: list[float] = []

    texts = list(
        follow_log_chunks(api, "d", "t", DATE, 1, poll_interval=0.25, sleep=waits.append)
    )

    assert [(c.content, c.continuation_token) for c in texts] == [
        ("first line\n", "t1"),
        ("", "t2"),
        ("", "t3"),
        ("last line\n", None),
    ]
    assert waits == [0.25, 0.25]  # only after the answers that brought nothing
    assert _tokens_sent(server) == [None, "t1", "t2", "t3"]
    assert server.requests[0].path.endswith("/logs/1")


def test_follow_logs_yields_only_text_and_really_waits(
    server: RecordingServer, api: TaskInstanceApi
) -> None:
    server.answer(*running_task_replies())

    started = time.monotonic()
    texts = list(follow_logs(api, "d", "t", DATE, 1, poll_interval=0.2))

    assert texts == ["first line\n", "last line\n"]
    assert time.monotonic() - started >= 0.4


def test_without_until_ended_it_stops_once_caught_up(
    server: RecordingServer, api: TaskInstanceApi
) -> None:
    server.answer(*running_task_replies())

    texts = list(follow_logs(api, "d", "t", DATE, 1, until_ended=False, poll_interval=5))

    assert texts == ["first line\n"]
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    "last",
    [
        {"content": "end\n"},
        {"content": "end\n", "continuation_token": None},
        {"content": "end\n", "continuation_token": ""},
    ],
    ids=["absent", "null", "empty"],
)
def test_an_absent_null_or_empty_token_ends_the_log(
    server: RecordingServer, api: TaskInstanceApi, last: dict[str, object]
) -> None:
    server.answer(chunk("a\n", "t1"), Reply.json(last))

    assert list(follow_logs(api, "d", "t", DATE, 1, poll_interval=0)) == ["a\n", "end\n"]
    assert len(server.requests) == 2


def test_write_logs_streams_every_chunk_and_counts_characters(
    server: RecordingServer, api: TaskInstanceApi
) -> None:
    server.answer(*running_task_replies())
    out = io.StringIO()

    written = write_logs(api, "d", "t", DATE, 1, out=out, poll_interval=0)

    assert out.getvalue() == "first line\nlast line\n"
    assert written == len("first line\nlast line\n")


def test_a_negative_poll_interval_is_refused(api: TaskInstanceApi) -> None:
    with pytest.raises(ValueError, match="poll_interval"):
        list(follow_logs(api, "d", "t", DATE, 1, poll_interval=-1))


def test_against_the_embedded_server_it_reads_the_whole_log(
    airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi
) -> None:
    from datetime import datetime, timezone

    from airflow_python_sdk.testing.store import TaskInstanceKey

    key = TaskInstanceKey("etl_daily", "transform", datetime(2026, 11, 26, tzinfo=timezone.utc))
    record = airflow_api.store.get(key)
    assert record is not None

    chunks = list(follow_log_chunks(airflow_client, "etl_daily", "transform", DATE, 2))

    assert "".join(c.content for c in chunks) == record.logs[2]
    assert len(chunks) > 1  # the sample log comes in several chunks
    assert chunks[-1].ended and not any(c.ended for c in chunks[:-1])


def test_errors_propagate(airflow_client: TaskInstanceApi) -> None:
    with pytest.raises(NotFoundException):
        list(follow_logs(airflow_client, "etl_daily", "load", DATE, 1))

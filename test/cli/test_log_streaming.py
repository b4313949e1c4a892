"""Logs read as they arrive: the content scanner against every cut of an answer, and
`log_follow.iter_log_chunks` (which `write_logs` uses) over real HTTP, whole-log answers,
chunked ones, text answers and broken ones."""

from __future__ import annotations

import io
import json
import random
from typing import Iterator

import pytest
from cli.log_replies import API_PREFIX, chunk, running_task_replies
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import ApiClient, Configuration, ResponseValueError
from airflow_python_sdk._logs.scanner import LogContentScanner
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.log_follow import PIECE_BYTES, iter_log_chunks, write_logs
from airflow_python_sdk.testing.server import AirflowApiServer

DATE = "2026-11-26T00:00:00+00:00"
# Characters whose JSON forms are escapes of every length, astral ones as surrogate pairs.
ALPHABET = ["a", "\n", '"', "\\", "\u00e9", "\U0001f600", "\t", "/", " ", "\ud83d", "\x01"]


def _scan(text: str, cuts: list[int]) -> tuple[str, dict[str, object]]:
    scanner = LogContentScanner()
    pieces: list[str] = []
    start = 0
    for cut in [*cuts, len(text)]:
        pieces += scanner.feed(text[start:cut])
        start = cut
    return "".join(pieces), scanner.finish()


def test_the_scanner_gives_the_content_whatever_the_cuts() -> None:
    chooser = random.Random(12)
    for trial in range(3000):
        content = "".join(chooser.choice(ALPHABET) for _ in range(chooser.randint(0, 40)))
        document = {"meta": {"content": "not this one", "list": ["content"]}, "content": content,
                    "continuation_token": 'to"ken'}
        text = json.dumps(document, ensure_ascii=trial % 2 == 0)
        cuts = sorted(chooser.sample(range(len(text) + 1), chooser.randint(0, 20)))
        streamed, rest = _scan(text, cuts)
        assert streamed == json.loads(text)["content"], (text, cuts)
        assert rest == {**json.loads(text), "content": ""}


@pytest.mark.parametrize("document", [
    {"content": None, "continuation_token": "t"},
    {"continuation_token": None},
    {"cont\\u0065nt": "x"},
])
def test_answers_without_a_content_string_are_read_whole(document: dict[str, object]) -> None:
    text = json.dumps(document)
    streamed, rest = _scan(text, [3, 9])
    assert streamed == "" and rest == json.loads(text)


@pytest.mark.parametrize("text", ['{"content": "cut short', '{"content": "a\\qb"}', "[1]", "{"])
def test_broken_answers_are_errors(text: str) -> None:
    with pytest.raises(ValueError):
        _scan(text, [5])


@pytest.fixture
def server() -> Iterator[RecordingServer]:
    with RecordingServer() as running:
        yield running


@pytest.fixture
def api(server: RecordingServer) -> Iterator[TaskInstanceApi]:
    configuration = Configuration(host=server.url + API_PREFIX, username="u", password="p")
    with ApiClient(configuration) as client:
        yield TaskInstanceApi(client)


def test_a_whole_log_in_one_answer_comes_in_pieces(
    server: RecordingServer, api: TaskInstanceApi
) -> None:
    line = "[2026-11-26] INFO - caf\u00e9 \U0001f600 \"quoted\" \\ back\tslash\n"
    log = line * (3 * PIECE_BYTES // len(line))
    server.answer(chunk(log, "end"), chunk("", None))

    pieces = list(iter_log_chunks(api, "d", "t", DATE, 1))

    assert "".join(pieces) == log
    assert len(pieces) > 2 and max(map(len, pieces)) <= PIECE_BYTES
    assert [request.query_params.get("token", [None])[0] for request in server.requests] == [
        None, "end"]


def test_a_client_that_asks_the_server_its_dialect_streams_a_draft_servers_log_too(
    server: RecordingServer,
) -> None:
    # dialect="auto" (what the command uses unless told) finds the draft here: the log is read
    # as it arrives, not whole (logs flat whatever the size, docs/PERFORMANCE.md).
    line = "[2026-11-26] INFO - a line of the task's output\n"
    log = line * (3 * PIECE_BYTES // len(line))
    logs = [chunk(log, "end"), chunk("", None)]
    server.handler = lambda request: (
        Reply.json({"title": "Not Found", "status": 404}, status=404)
        if request.path.endswith("/version") else logs.pop(0))
    configuration = Configuration(host=server.url + API_PREFIX, username="u", password="p",
                                  dialect="auto")
    with ApiClient(configuration) as client:
        pieces = list(iter_log_chunks(TaskInstanceApi(client), "d", "t", DATE, 1))

    assert "".join(pieces) == log
    assert len(pieces) > 2 and max(map(len, pieces)) <= PIECE_BYTES


def test_tokens_are_followed_and_polls_wait_as_follow_logs_does(
    server: RecordingServer, api: TaskInstanceApi
) -> None:
    server.answer(*running_task_replies())
    waits: list[float] = []

    pieces = list(iter_log_chunks(api, "d", "t", DATE, 1, poll_interval=0.5, sleep=waits.append))

    assert pieces == ["first line\n", "last line\n"]
    assert waits == [0.5, 0.5]


def test_a_text_answer_is_the_log(server: RecordingServer, api: TaskInstanceApi) -> None:
    server.answer(Reply.text("plain \u00e9\n" * 10_000))

    assert "".join(iter_log_chunks(api, "d", "t", DATE, 1)) == "plain \u00e9\n" * 10_000


def test_an_answer_that_is_not_a_log_answer_is_an_error(
    server: RecordingServer, api: TaskInstanceApi
) -> None:
    server.answer(Reply(200, b'{"content": "cut', [("Content-Type", "application/json")]))

    with pytest.raises(ResponseValueError, match="ended inside its content"):
        list(iter_log_chunks(api, "d", "t", DATE, 1))


def test_write_logs_streams_a_whole_log_answer(
    server: RecordingServer, api: TaskInstanceApi
) -> None:
    log = "x" * 200_000 + "\n"
    server.answer(chunk(log, None))
    out = io.StringIO()

    assert write_logs(api, "d", "t", DATE, 1, out=out) == len(log)
    assert out.getvalue() == log


def test_against_the_embedded_server_it_reads_what_get_logs_reads(
    airflow_api: AirflowApiServer, airflow_client: TaskInstanceApi
) -> None:
    whole = airflow_client.get_logs("etl_daily", "transform", DATE, 2, full_content=True)

    assert "".join(iter_log_chunks(airflow_client, "etl_daily", "transform", DATE, 2)) == (
        whole.content)


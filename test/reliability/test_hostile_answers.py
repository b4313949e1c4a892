"""Answers built to hurt the client: compression bombs, endless bodies, headers no parser
expects. Each ends as an `ApiException` (or the call's success), in bounded time and memory."""

from __future__ import annotations

import gzip
import json
import tracemalloc

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import (
    EXECUTION_DATE,
    TASK_INSTANCE,
    fast_retry,
    make_configuration,
    task_instance_body,
)
from reliability.raw_server import RawConnection, RawServer
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

BOUND_S = 10.0
# For calls meant to succeed: a loaded machine must not fail them on a short read timeout.
SUCCEEDS = (2.0, 2.0)


def get(api, **options):
    return api.get_task_instance("etl_daily", "extract", EXECUTION_DATE, **options)


def gzip_bomb(decoded_bytes: int, layers: int) -> bytes:
    body = b"\0" * decoded_bytes
    for _ in range(layers):
        body = gzip.compress(body, compresslevel=9)
    return body


# -- compression ---------------------------------------------------------------------------------


def test_stacked_gzip_is_not_decoded_at_all(server, api_for):
    # 128 MB of zeros, gzipped twice, is a few hundred bytes: urllib3 would undo both layers.
    bomb = gzip_bomb(128 * 1024 * 1024, 2)
    assert len(bomb) < 1024
    server.answer(Reply(200, bomb, [("Content-Type", "application/json"),
                                    ("Content-Encoding", "gzip, gzip")]))

    outcome = call_bounded(lambda: get(api_for(server.url)), BOUND_S)

    assert isinstance(outcome.error, airflow_python_sdk.ResponseValueError), repr(outcome.error)
    assert "'gzip, gzip' was not asked for" in str(outcome.error)
    assert outcome.error.body is None  # the undecoded bytes are not quoted


@pytest.mark.parametrize("coding", ["gzip", "x-gzip", "deflate", "br"])
def test_a_coding_the_sdk_never_asked_for_is_refused_before_it_is_decoded(server, api_for,
                                                                          coding):
    # 128 MiB of zeros gzipped once: 130 KB on the wire. Decoded up to max_answer_bytes, it cost
    # 253 MB; the SDK asks for identity, so nothing is decoded.
    bomb = gzip_bomb(128 * 1024 * 1024, 1)
    assert 120_000 < len(bomb) < 140_000
    server.answer(Reply(200, bomb, [("Content-Type", "application/json"),
                                    ("Content-Encoding", coding)]))
    api = api_for(server.url)
    tracemalloc.start()
    try:
        outcome = call_bounded(lambda: get(api), BOUND_S)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    assert isinstance(outcome.error, airflow_python_sdk.ResponseValueError), repr(outcome.error)
    assert f"its Content-Encoding {coding!r} was not asked for" in str(outcome.error)
    assert outcome.error.body is None  # the undecoded bytes are not quoted
    assert peak < 2 * 1024 * 1024, peak  # the 130 KB read, nothing decoded
    assert server.requests[0].header("Accept-Encoding") == "identity"


def test_a_streamed_answer_in_a_coding_never_asked_for_is_refused_too(server, api_for):
    server.answer(Reply(200, gzip_bomb(1024 * 1024, 1), [("Content-Type", "text/plain"),
                                                         ("Content-Encoding", "gzip")]))

    outcome = call_bounded(lambda: get(api_for(server.url), _preload_content=False), BOUND_S)

    assert isinstance(outcome.error, airflow_python_sdk.ResponseValueError), repr(outcome.error)
    assert "'gzip' was not asked for" in str(outcome.error)


def test_an_unknown_coding_or_a_corrupt_gzip_body_is_an_unreadable_answer(server, api_for):
    server.answer(
        Reply(200, b"\x28\xb5\x2f\xfd", [("Content-Encoding", "zstd")]),
        Reply(200, b"not gzip at all", [("Content-Encoding", "gzip")]),
        Reply(200, task_instance_body(), [("Content-Type", "application/json"),
                                          ("Content-Encoding", "identity")]),
    )
    api = api_for(server.url)

    for expected in ("'zstd' was not asked for", "'gzip' was not asked for"):
        with pytest.raises(airflow_python_sdk.ResponseValueError, match=expected):
            get(api)
    assert get(api).task_id == TASK_INSTANCE["task_id"]  # identity is no coding at all


def test_an_error_status_with_an_undecodable_body_keeps_its_status(server, api_for):
    server.answer(Reply(404, gzip_bomb(1024, 3), [("Content-Encoding", "gzip, gzip, gzip")]))

    with pytest.raises(airflow_python_sdk.NotFoundException) as caught:
        get(api_for(server.url))

    assert caught.value.status == 404 and caught.value.body == ""


# -- size ----------------------------------------------------------------------------------------


def endless_body(connection: RawConnection, index: int) -> None:
    """Headers without a length, then zeros as fast as the socket takes them, until the
    client gives up."""
    if connection.read_request() is None:
        return
    connection.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Connection: close\r\n\r\n")
    piece = b"0" * 65536
    while not connection.stopping.is_set():
        connection.send(piece)


@pytest.mark.parametrize("chunked", [False, True], ids=["until-close", "chunked"])
def test_an_endless_body_stops_at_max_answer_bytes_not_at_the_deadline(api_for, chunked):
    def script(connection: RawConnection, index: int) -> None:
        if not chunked:
            endless_body(connection, index)
            return
        if connection.read_request() is None:
            return
        connection.send(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        piece = b"10000\r\n" + b"0" * 65536 + b"\r\n"
        while not connection.stopping.is_set():
            connection.send(piece)

    with RawServer(script) as server:
        # A read timeout the body could fill gigabytes in: the size limit must stop it first.
        api = api_for(server.url, timeout=(2.0, 5.0))
        api.api_client.configuration.max_answer_bytes = 4 * 1024 * 1024

        outcome = call_bounded(lambda: get(api), BOUND_S)

    assert isinstance(outcome.error, airflow_python_sdk.AnswerTooLargeError), repr(outcome.error)
    assert outcome.elapsed_s < 4.0  # stopped by the size, well before the 5 s deadline
    assert server.connections == 1  # not retried: the next answer would be as large


def test_the_default_limit_is_documented_and_none_removes_it(server, api_for):
    config = airflow_python_sdk.Configuration()
    assert config.max_answer_bytes == 256 * 1024 * 1024
    big = json.dumps({**TASK_INSTANCE, "note": "x" * 3_000_000}).encode()
    server.answer(Reply(200, big, [("Content-Type", "application/json")]))
    api = api_for(server.url, timeout=SUCCEEDS)
    api.api_client.configuration.max_answer_bytes = None

    assert get(api).task_id == TASK_INSTANCE["task_id"]


def test_a_streamed_answer_is_not_limited(server, api_for):
    server.answer(Reply(200, b"x" * 3_000_000, [("Content-Type", "application/json")]))
    api = api_for(server.url, timeout=SUCCEEDS)
    api.api_client.configuration.max_answer_bytes = 1000

    stream = get(api, _preload_content=False)
    try:
        assert len(stream.read()) == 3_000_000
    finally:
        stream.release_conn()


# -- headers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("retry_after", [
    "9" * 5000,  # past Python's limit on digits in int()
    "Wed, 21 Oct 99999999 07:28:00 GMT",
    "Wed, 32 Foo 2026 99:99:99 GMT",
    "-5",
    "1e999",
], ids=["5000-digits", "year-99999999", "nonsense-date", "negative", "1e999"])
def test_a_hostile_retry_after_is_cut_to_the_cap_or_ignored(server, api_for, retry_after):
    # An endless number of seconds is cut to the cap (0.2 s here); anything unreadable is
    # ignored in favour of the backoff. Either way the retry succeeds.
    server.answer(Reply(503, b"", [("Retry-After", retry_after)]), Reply.json(TASK_INSTANCE))
    api = api_for(server.url, retries=fast_retry(retry_after_max=0.2), timeout=SUCCEEDS)

    outcome = call_bounded(lambda: get(api), BOUND_S)

    assert outcome.error is None, repr(outcome.error)
    assert outcome.elapsed_s < 2.0


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(retry_after=st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126),
                           max_size=300)
       | st.integers(min_value=0).map(lambda n: str(n) * 3))
def test_any_retry_after_is_waited_on_within_the_cap_then_the_answer_is_read(retry_after):
    with RecordingServer() as server:
        server.answer(Reply(503, b"", [("Retry-After", retry_after.strip() or "x")]),
                      Reply.json(TASK_INSTANCE))
        configuration = make_configuration(server.url, timeout=SUCCEEDS,
                                           retries=fast_retry(retry_after_max=0.05))
        with airflow_python_sdk.ApiClient(configuration) as client:
            api = TaskInstanceApi(client)
            outcome = call_bounded(lambda: get(api), BOUND_S)
        attempts = len(server.requests)
    # Whatever the header says (seconds, a date, garbage, a number past any cap), the 503 is
    # retried after at most the cap, and the second answer is the call's.
    assert outcome.error is None, repr(outcome.error)
    assert outcome.result.task_id == TASK_INSTANCE["task_id"]
    assert attempts == 2
    assert outcome.elapsed_s < 5.0  # the cap is 0.05 s; an uncapped header asks for hours


@pytest.mark.parametrize("location", ["http://[::1", "http://[::1]:99999/x", "http://%zz/"])
def test_a_location_that_is_no_url_is_an_api_exception(server, api_for, location):
    server.answer(Reply(302, b"", [("Location", location)]))

    outcome = call_bounded(lambda: get(api_for(server.url)), BOUND_S)

    assert isinstance(outcome.error, airflow_python_sdk.ApiException), repr(outcome.error)


# -- headers the client itself would send --------------------------------------------------------


@pytest.mark.parametrize("value", ["Bearer abc\r\nX-Injected: 1", "t\u00f6k\u20acn", "nul\x00"],
                         ids=["crlf", "non-latin-1", "nul"])
def test_a_header_no_request_can_carry_is_refused_by_name_before_sending(server, api_for, value):
    api = api_for(server.url)
    api.api_client.set_default_header("X-Api-Token", value)

    with pytest.raises(airflow_python_sdk.ApiValueError, match="'X-Api-Token'") as caught:
        get(api)

    assert value not in str(caught.value)
    assert server.requests == []


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(value=st.text(max_size=30))
def test_any_header_value_is_sent_exactly_or_refused_without_being_quoted(value):
    with RecordingServer() as server:
        server.answer(Reply.json(TASK_INSTANCE))
        with airflow_python_sdk.ApiClient(make_configuration(server.url,
                                                             timeout=SUCCEEDS)) as client:
            client.set_default_header("X-Note", value)
            try:
                get(TaskInstanceApi(client))
            except airflow_python_sdk.ApiValueError as error:
                assert server.requests == []
                assert len(value) < 4 or value not in str(error)
            else:
                # http.server reads header bytes as latin-1, as they were sent. Whitespace
                # around a value is no part of it (RFC 9110, 5.5): urllib3 2 strips it before
                # sending, 1.26 sends it and the reader keeps the trailing part.
                assert server.last.header("X-Note").strip(" \t") == value.strip(" \t")

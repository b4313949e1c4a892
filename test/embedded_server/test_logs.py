"""Logs in chunks with continuation tokens, in full, and as plain text."""

from __future__ import annotations

import pytest
from embedded_server.http_calls import Caller, assert_problem, ti_path

from airflow_python_sdk.testing.server import AirflowApiServer

TRANSFORM = ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z")
LOG_PATHS = [
    ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z") + "/logs/1",
    ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z") + "/logs/2",
    ti_path("reporting", "email_report", "2026-11-26T00:00:00Z") + "/logs/1",
    ti_path("etl_daily", "extract", "2026-11-26T00:00:00Z") + "/logs/1",
]


def _follow(call: Caller, path: str, limit: int = 100) -> list[dict[str, object]]:
    """Every chunk of a log, following tokens until the log says it has ended."""
    chunks = [call("GET", path).json()]
    while chunks[-1].get("continuation_token"):
        assert len(chunks) < limit, "the log never ended"
        chunks.append(call("GET", path, query={"token": chunks[-1]["continuation_token"]}).json())
    return chunks


@pytest.mark.parametrize("path", LOG_PATHS)
def test_following_the_tokens_yields_the_full_log_once(call: Caller, path: str) -> None:
    full = call("GET", path, query={"full_content": "true"}).json()

    chunks = _follow(call, path)

    assert "".join(str(chunk["content"]) for chunk in chunks) == full["content"]
    assert full["continuation_token"] is None
    assert chunks[-1]["continuation_token"] is None
    assert all(chunk["content"] for chunk in chunks)


def test_a_failed_tasks_log_comes_in_several_chunks_of_whole_lines(call: Caller) -> None:
    chunks = _follow(call, TRANSFORM + "/logs/2")

    assert len(chunks) >= 3
    for chunk in chunks:
        assert str(chunk["content"]).endswith("\n")
        assert str(chunk["content"]).count("\n") <= 10
    assert "marking as FAILED" in str(chunks[-1]["content"])


def test_tries_have_their_own_logs(call: Caller) -> None:
    first = call("GET", TRANSFORM + "/logs/1", query={"full_content": "true"}).json()
    second = call("GET", TRANSFORM + "/logs/2", query={"full_content": "true"}).json()

    assert "UP_FOR_RETRY" in first["content"]
    assert "marking as FAILED" in second["content"]


def test_full_content_after_a_token_returns_the_rest(call: Caller) -> None:
    path = TRANSFORM + "/logs/2"
    whole = call("GET", path, query={"full_content": "true"}).json()["content"]
    first = call("GET", path).json()

    rest = call("GET", path, query={"token": first["continuation_token"], "full_content": "true"})

    assert first["content"] + rest.json()["content"] == whole
    assert rest.json()["continuation_token"] is None


def test_tokens_can_be_read_again(call: Caller) -> None:
    path = TRANSFORM + "/logs/2"
    token = call("GET", path).json()["continuation_token"]

    once = call("GET", path, query={"token": token}).json()
    again = call("GET", path, query={"token": token}).json()

    assert once == again


@pytest.mark.parametrize(
    "accept", ["text/plain", "text/plain, application/json;q=0.5", "text/*", "text/plain;q=1"]
)
def test_clients_preferring_plain_text_get_the_whole_log_as_text(call: Caller, accept: str) -> None:
    path = TRANSFORM + "/logs/2"
    whole = call("GET", path, query={"full_content": "true"}).json()["content"]

    reply = call("GET", path, headers={"Accept": accept})

    assert reply.status == 200
    assert reply.content_type.startswith("text/plain")
    assert reply.data.decode() == whole


@pytest.mark.parametrize(
    "accept", ["application/json, text/plain", "*/*", "application/json", "text/plain;q=0.5, */*"]
)
def test_other_clients_get_json(call: Caller, accept: str) -> None:
    reply = call("GET", TRANSFORM + "/logs/2", headers={"Accept": accept})

    assert reply.content_type == "application/json"
    assert set(reply.json()) == {"content", "continuation_token"}


def test_a_log_is_read_the_same_whatever_the_date_spelling(call: Caller) -> None:
    token = call("GET", TRANSFORM + "/logs/2").json()["continuation_token"]
    other_spelling = ti_path("etl_daily", "transform", "2026-11-26T00:00:00+00:00")

    reply = call("GET", other_spelling + "/logs/2", query={"token": token})

    assert reply.status == 200


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "eyJwb3MiOiAxfQ.AAAAAAAAAAAAAAAAAAAAAAAA",  # a position, signed by nobody
        "é.é",
    ],
)
def test_a_forged_token_is_a_bad_request(call: Caller, token: str) -> None:
    problem = assert_problem(call("GET", TRANSFORM + "/logs/2", query={"token": token}), 400)

    assert "token" in problem["detail"]


def test_a_token_of_another_log_is_a_bad_request(call: Caller) -> None:
    token = call("GET", TRANSFORM + "/logs/2").json()["continuation_token"]

    assert_problem(call("GET", TRANSFORM + "/logs/1", query={"token": token}), 400)
    other_instance = ti_path("reporting", "email_report", "2026-11-26T00:00:00Z") + "/logs/1"
    assert_problem(call("GET", other_instance, query={"token": token}), 400)


@pytest.mark.parametrize("try_number", ["0", "-1", "one", "1.5"])
def test_a_try_number_that_is_not_a_positive_integer_is_a_bad_request(
    call: Caller, try_number: str
) -> None:
    assert_problem(call("GET", TRANSFORM + "/logs/" + try_number), 400)


def test_full_content_must_be_a_boolean(call: Caller) -> None:
    assert_problem(call("GET", TRANSFORM + "/logs/1", query={"full_content": "maybe"}), 400)


def test_a_try_without_a_log_is_not_found(call: Caller) -> None:
    problem = assert_problem(call("GET", TRANSFORM + "/logs/3"), 404)
    assert problem["title"] == "Log not found"
    never_ran = ti_path("etl_daily", "load", "2026-11-26T00:00:00Z")
    assert_problem(call("GET", never_ran + "/logs/1"), 404)


def test_an_empty_log_is_one_chunk_that_has_ended(airflow_api: AirflowApiServer) -> None:
    airflow_api.load(
        [{"dag_id": "d", "task_id": "t", "execution_date": "2026-01-01T00:00:00Z", "logs": [""]}]
    )
    call = Caller(airflow_api.url)
    try:
        reply = call("GET", ti_path("d", "t", "2026-01-01T00:00:00Z") + "/logs/1")
    finally:
        call.close()

    assert reply.json() == {"content": "", "continuation_token": None}


def test_a_log_of_exactly_one_chunk_needs_no_token(airflow_api: AirflowApiServer) -> None:
    text = "".join(f"line {number}\n" for number in range(10))
    airflow_api.load(
        [{"dag_id": "d", "task_id": "t", "execution_date": "2026-01-01T00:00:00Z", "logs": [text]}]
    )
    call = Caller(airflow_api.url)
    try:
        reply = call("GET", ti_path("d", "t", "2026-01-01T00:00:00Z") + "/logs/1")
    finally:
        call.close()

    assert reply.json() == {"content": text, "continuation_token": None}


def test_extra_links_are_listed(call: Caller) -> None:
    reply = call("GET", ti_path("reporting", "build_report", "2026-11-26T00:00:00Z") + "/links")

    assert reply.status == 200
    links = reply.json()["extra_links"]
    assert [link["name"] for link in links] == ["Report", "Dashboard"]
    assert links[0]["href"] == "https://reports.example.com/daily/2026-11-26"
    assert links[0]["class_ref"] == {"module_path": "reporting.links", "class_name": "ReportLink"}


def test_an_instance_without_links_has_an_empty_list(call: Caller) -> None:
    assert call("GET", TRANSFORM + "/links").json() == {"extra_links": []}

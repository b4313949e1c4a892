"""The Airflow 3 dialect against Airflow 3.3.2's recorded answers, over loopback HTTP."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from dialects.recorded_answers import (
    DAG_ID,
    EXECUTION_DATE,
    PASSWORD,
    RUN_ID,
    TOKEN,
    USERNAME,
    document,
    recorded,
    token_reply,
)
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk import (
    ApiValueError,
    ConflictException,
    NotFoundException,
    UnauthorizedException,
    UnprocessableEntityException,
)
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.extra_link import ExtraLink
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

TI_PATH = f"/api/v2/dags/{DAG_ID}/dagRuns/{RUN_ID}/taskInstances"
UTC = dt.timezone.utc


def test_a_token_is_fetched_once_and_sent_as_bearer(server: RecordingServer,
                                                    airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_ti_echo_ok.json"), recorded("v3_ti_fail_task.json"))

    airflow3.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
    airflow3.get_task_instance(DAG_ID, "fail_task", EXECUTION_DATE)

    token, lookup, first, second = server.requests
    assert (token.method, token.path) == ("POST", "/auth/token")  # outside /api/v2
    assert token.json() == {"username": USERNAME, "password": PASSWORD}
    assert token.header("Authorization") is None
    assert lookup.path == f"/api/v2/dags/{DAG_ID}/dagRuns"
    assert lookup.query_params == {"logical_date_gte": [EXECUTION_DATE],
                                   "logical_date_lte": [EXECUTION_DATE], "limit": ["2"]}
    assert (first.path, second.path) == (f"{TI_PATH}/echo_ok", f"{TI_PATH}/fail_task")
    for request in (lookup, first, second):
        assert request.header("Authorization") == f"Bearer {TOKEN}"


def test_a_configured_access_token_is_used_without_asking_for_one(
        server: RecordingServer, make_api) -> None:
    api = make_api("airflow3", "/api/v2", access_token="given-token")
    server.answer(recorded("v3_dagruns_by_date.json"), recorded("v3_ti_echo_ok.json"))

    api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert [r.path for r in server.requests] == [f"/api/v2/dags/{DAG_ID}/dagRuns",
                                                 f"{TI_PATH}/echo_ok"]
    assert server.requests[0].header("Authorization") == "Bearer given-token"


def test_an_expired_token_is_renewed_once_and_the_call_retried(
        server: RecordingServer, airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply("old"), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_err_401_bad_token.json", status=401), token_reply("new"),
                  recorded("v3_ti_echo_ok.json"))

    ti = airflow3.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert ti.task_id == "echo_ok"
    sent = [(r.method, r.path, r.header("Authorization")) for r in server.requests]
    assert sent[2:] == [("GET", f"{TI_PATH}/echo_ok", "Bearer old"),
                        ("POST", "/auth/token", None),
                        ("GET", f"{TI_PATH}/echo_ok", "Bearer new")]


def test_a_second_401_is_the_callers(server: RecordingServer,
                                     airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply("old"), recorded("v3_err_401_bad_token.json", status=401),
                  token_reply("new"), recorded("v3_err_401_bad_token.json", status=401))

    with pytest.raises(UnauthorizedException) as caught:
        airflow3.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert len(server.requests) == 4
    error = caught.value.error
    assert error is not None
    assert (error.status, error.title, error.detail) == (401, "Unauthorized",
                                                         "Invalid JWT token")


def test_wrong_credentials_say_no_token_was_given_and_never_show_secrets(
        server: RecordingServer, airflow3: TaskInstanceApi,
        caplog: pytest.LogCaptureFixture) -> None:
    airflow3.api_client.configuration.debug = True
    server.answer(recorded("v3_token_wrong.json", status=401))

    with caplog.at_level(logging.DEBUG), pytest.raises(UnauthorizedException) as caught:
        airflow3.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)
    airflow3.api_client.configuration.debug = False

    assert len(server.requests) == 1
    assert caught.value.error is not None
    assert caught.value.error.detail == (
        "Airflow 3 gave no access token for the configured username and password: "
        "Invalid credentials")
    assert PASSWORD not in str(caught.value) and PASSWORD not in caplog.text


def test_the_token_never_reaches_messages_or_logs(server: RecordingServer,
                                                  airflow3: TaskInstanceApi,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    airflow3.api_client.configuration.debug = True
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_err_404_missing_ti.json", status=404),
                  recorded("v3_dagruns_by_date.json"),
                  recorded("v3_err_404_missing_ti.json", status=404))

    with caplog.at_level(logging.DEBUG), pytest.raises(NotFoundException) as caught:
        airflow3.get_task_instance(DAG_ID, "no_such_task", EXECUTION_DATE)
    airflow3.api_client.configuration.debug = False

    assert "GET" in caplog.text  # the requests were logged, without their headers
    for text in (caplog.text, str(caught.value), repr(airflow3.api_client.dialect())):
        assert TOKEN not in text and PASSWORD not in text


def test_logical_date_and_queued_when_fill_the_spec_fields(server: RecordingServer,
                                                           airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_ti_echo_ok.json"))

    ti = airflow3.get_task_instance(DAG_ID, "echo_ok", dt.datetime(2026, 11, 26, tzinfo=UTC))

    assert ti.execution_date == dt.datetime(2026, 11, 26, tzinfo=UTC)
    assert ti.queued_dttm == dt.datetime(2026, 11, 28, 14, 33, 5, 286102, tzinfo=UTC)
    assert ti.state == TaskState.SUCCESS and ti.duration == pytest.approx(6.316)
    # Everything else is kept as it came.
    assert ti.logical_date == "2026-11-26T00:00:00Z"
    assert ti.id == "01a22292-d1ec-7a76-bd91-8cfde40cac41"
    assert ti.dag_version["version_number"] == 1
    assert "sla_miss" not in ti


def test_links_under_extra_links_become_an_extra_link_collection(
        server: RecordingServer, airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_ti_echo_ok_links.json"),
                  Reply.json({"extra_links": {"Docs": "https://example.org"},
                              "total_entries": 1}))

    empty = airflow3.get_extra_links(DAG_ID, "echo_ok", EXECUTION_DATE)
    one = airflow3.get_extra_links(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert server.requests[2].path == f"{TI_PATH}/echo_ok/links"
    assert empty.extra_links == []
    assert one.extra_links == [ExtraLink(name="Docs", href="https://example.org")]


def test_structured_log_entries_become_lines_and_stay_structured(
        server: RecordingServer, airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_logs_echo_ok_json.json"))

    chunk = airflow3.get_logs(DAG_ID, "echo_ok", EXECUTION_DATE, 1)

    assert server.requests[2].path == f"{TI_PATH}/echo_ok/logs/1"
    assert server.requests[2].header("Accept") == "application/json"
    lines = chunk.content.splitlines()
    assert lines[0] == "::group::Log message source details"
    assert ("[2026-11-28T14:33:11.800495Z] {subprocess.py:106} INFO - "
            "line 1 of output from echo_ok") in lines
    assert chunk.content.endswith("\n")
    assert chunk.entries == document("v3_logs_echo_ok_json.json")["content"]
    assert len(chunk.entries) == len(lines)
    assert chunk.continuation_token is None  # null: the log has ended


def test_a_failed_tasks_log_shows_its_exception(server: RecordingServer,
                                                airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_logs_fail_task_json.json"))

    chunk = airflow3.get_logs(DAG_ID, "fail_task", EXECUTION_DATE, 1)

    assert "ERROR - Task failed with exception\nTraceback (most recent call last):\n" in (
        chunk.content)
    assert ("AirflowException: Bash command failed. The command returned a non-zero exit "
            "code 3.\n") in chunk.content


def test_a_running_logs_token_is_passed_on(server: RecordingServer,
                                           airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  Reply.json({"content": [{"event": "still going"}],
                              "continuation_token": "next"}))

    chunk = airflow3.get_logs(DAG_ID, "echo_ok", EXECUTION_DATE, 1, token="previous")

    assert server.requests[2].query_params == {"token": ["previous"]}
    assert (chunk.content, chunk.continuation_token) == ("still going\n", "next")


def test_the_state_change_answers_the_changed_task_instance(
        server: RecordingServer, airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_patch_success.json"))

    ti = airflow3.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE,
                                       TaskInstance(state="success"), update_mask=["state"])

    patch = server.requests[2]
    assert (patch.method, patch.path, patch.query) == ("PATCH", f"{TI_PATH}/fail_task", "")
    assert patch.json() == {"new_state": "success"}  # dry_run would be refused (422)
    assert len(server.requests) == 3
    assert ti.state == TaskState.SUCCESS and ti.task_id == "fail_task"


def test_the_state_it_already_has_is_a_success_read_back(server: RecordingServer,
                                                         airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_patch_same_again.json", status=409),
                  recorded("v3_ti2_fail_task_after_patch.json"))

    ti = airflow3.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE,
                                       TaskInstance(state="success"))

    assert [r.method for r in server.requests] == ["POST", "GET", "PATCH", "GET"]
    assert ti.state == TaskState.SUCCESS


def test_a_conflict_with_another_state_stays_a_conflict(server: RecordingServer,
                                                        airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_patch_same_again.json", status=409),
                  recorded("v3_ti_fail_task.json"))

    with pytest.raises(ConflictException) as caught:
        airflow3.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE,
                                      TaskInstance(state="success"))

    assert caught.value.error is not None
    assert caught.value.error.detail == "Task id fail_task is already in success state"


def test_other_fields_are_refused_naming_airflow_3(server: RecordingServer,
                                                   airflow3: TaskInstanceApi) -> None:
    with pytest.raises(ApiValueError, match="Airflow 3 can only change a task instance's state"):
        airflow3.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE,
                                      TaskInstance(state="success", queue="q"))
    assert server.requests == []


def test_delete_sends_delete_and_returns_none(server: RecordingServer,
                                              airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_delete_ti.json"))

    assert airflow3.delete_task_instance(DAG_ID, "fail_task", EXECUTION_DATE) is None

    delete = server.requests[2]
    assert (delete.method, delete.path, delete.body) == ("DELETE", f"{TI_PATH}/fail_task", b"")


def test_a_missing_task_is_not_found_and_says_which(server: RecordingServer,
                                                    airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_err_404_missing_ti.json", status=404),
                  recorded("v3_dagruns_by_date.json"),
                  recorded("v3_err_404_missing_ti.json", status=404))

    with pytest.raises(NotFoundException) as caught:
        airflow3.get_task_instance(DAG_ID, "no_such_task", EXECUTION_DATE)

    error = caught.value.error
    assert error is not None and (error.status, error.title) == (404, "Not Found")
    assert error.detail is not None
    assert error.detail.startswith("task instance 'no_such_task' of DAG 'feas_dag' (run "
                                   "'sched_run_1126', execution date 2026-11-26T00:00:00+00:00)"
                                   " not found: The Task Instance with dag_id: `feas_dag`")


def test_validation_errors_in_a_list_become_one_detail_line(server: RecordingServer,
                                                            airflow3: TaskInstanceApi) -> None:
    server.answer(token_reply(), recorded("v3_dagruns_by_date.json"),
                  recorded("v3_patch_with_dry_run_field.json", status=422))

    with pytest.raises(UnprocessableEntityException) as caught:
        airflow3.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE,
                                      TaskInstance(state="failed"))

    error = caught.value.error
    assert error is not None
    assert error.detail == "body.dry_run: Extra inputs are not permitted"
    assert error.detail_items == document("v3_patch_with_dry_run_field.json")["detail"]
    assert (error.status, error.title) == (422, "Unprocessable Entity")


def test_an_unknown_dag_is_not_found_and_says_which(server: RecordingServer,
                                                    airflow3: TaskInstanceApi) -> None:
    # Airflow 3 answers the list of runs of an unknown DAG with a 404 of its own.
    server.answer(token_reply(), Reply.json(
        {"detail": "The Dag with ID: `no_such_dag` was not found"}, status=404))

    with pytest.raises(NotFoundException) as caught:
        airflow3.get_task_instance("no_such_dag", "echo_ok", EXECUTION_DATE)

    assert len(server.requests) == 2
    assert caught.value.error is not None
    assert caught.value.error.detail == (
        "DAG 'no_such_dag' not found: The Dag with ID: `no_such_dag` was not found")


def test_calls_refused_together_share_one_renewal(server: RecordingServer,
                                                  make_api) -> None:
    api: TaskInstanceApi = make_api("airflow3", "/api/v2", access_token="expired")
    api.api_client.pool_threads = 6

    def answer(request: RecordedRequest) -> Reply:
        if request.path == "/auth/token":
            return token_reply("fresh")
        if request.path.endswith("/dagRuns"):
            return recorded("v3_dagruns_by_date.json")
        if request.header("Authorization") != "Bearer fresh":
            return recorded("v3_err_401_bad_token.json", status=401)
        return recorded("v3_ti_echo_ok.json")

    server.handler = answer

    pending = [api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE, async_req=True)
               for _ in range(6)]
    results = [call.get(timeout=10) for call in pending]

    assert all(ti.task_id == "echo_ok" for ti in results)
    refused = [r for r in server.requests if r.header("Authorization") == "Bearer expired"
               and "taskInstances" in r.path]
    assert refused  # the calls really were refused with the old token
    assert [r.path for r in server.requests].count("/auth/token") == 1

"""The Airflow 2 dialect against Airflow 2.10.5's recorded answers, over loopback HTTP."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest
from dialects.recorded_answers import (
    DAG_ID,
    EXECUTION_DATE,
    PASSWORD,
    RECORDED,
    RUN_ID,
    USERNAME,
    document,
    recorded,
)
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import (
    ApiValueError,
    BadRequestException,
    NotFoundException,
    UnauthorizedException,
)
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.dialects import RunNotFoundException, UnsupportedOperationException
from airflow_python_sdk.model.extra_link import ExtraLink
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.inline_response200 import InlineResponse200
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

TI_PATH = f"/api/v1/dags/{DAG_ID}/dagRuns/{RUN_ID}/taskInstances"
UTC = dt.timezone.utc


def basic(username: str = USERNAME, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_the_run_is_looked_up_by_execution_date_then_the_task_instance_by_run_id(
        server: RecordingServer, airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_ti_echo_ok.json"))

    airflow2.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    lookup, get = server.requests
    assert (lookup.method, lookup.path) == ("GET", f"/api/v1/dags/{DAG_ID}/dagRuns")
    # "+" must travel as %2B, or the server reads a space and refuses the date.
    assert lookup.query == ("execution_date_gte=2026-11-26T00%3A00%3A00%2B00%3A00"
                            "&execution_date_lte=2026-11-26T00%3A00%3A00%2B00%3A00&limit=2")
    assert (get.method, get.path) == ("GET", f"{TI_PATH}/echo_ok")
    for request in (lookup, get):
        assert request.header("Authorization") == basic()
        assert request.header("Accept") == "application/json"


def test_a_task_instance_maps_to_the_spec_model_and_keeps_the_other_fields(
        server: RecordingServer, airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_ti_echo_ok.json"))

    ti = airflow2.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert isinstance(ti, TaskInstance)
    assert (ti.dag_id, ti.task_id, ti.state) == (DAG_ID, "echo_ok", TaskState.SUCCESS)
    assert ti.execution_date == dt.datetime(2026, 11, 26, tzinfo=UTC)
    # Airflow 2 names the queueing time queued_when.
    assert ti.queued_dttm == dt.datetime(2026, 11, 28, 14, 29, 9, 896247, tzinfo=UTC)
    assert ti.duration == pytest.approx(0.264894)
    assert (ti.try_number, ti.max_tries, ti.pid, ti.pool_slots) == (1, 0, 25565, 1)
    assert ti.sla_miss is None
    assert ti.dag_run_id == RUN_ID
    assert ti["map_index"] == -1
    assert ti.rendered_fields["bash_command"].startswith("for i in")


def test_unknown_fields_are_dropped_when_the_configuration_says_so(
        server: RecordingServer, make_api) -> None:
    api = make_api("airflow2", "/api/v1", discard_unknown_keys=True)
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_ti_echo_ok.json"))

    ti = api.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert "queued_when" not in ti and "rendered_fields" not in ti
    assert ti.dag_run_id == "sched_run_1126"  # a spec field: kept
    assert ti.queued_dttm == dt.datetime(2026, 11, 28, 14, 29, 9, 896247, tzinfo=UTC)


def test_a_task_instance_that_never_ran_has_no_state(server: RecordingServer,
                                                      airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_ti_unscheduled.json"))

    ti = airflow2.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert ti.state is None and ti.try_number == 0 and ti.queued_dttm is None


def test_links_map_becomes_an_extra_link_collection(server: RecordingServer,
                                                     airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_ti_echo_ok_links.json"),
                  Reply.json({"Docs": "https://example.org/docs", "Pending": None}))

    empty = airflow2.get_extra_links(DAG_ID, "echo_ok", EXECUTION_DATE)
    two = airflow2.get_extra_links(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert server.requests[1].path == f"{TI_PATH}/echo_ok/links"
    assert isinstance(empty, ExtraLinkCollection) and empty.extra_links == []
    assert two.extra_links == [ExtraLink(name="Docs", href="https://example.org/docs"),
                               ExtraLink(name="Pending", href=None)]


def test_a_log_chunk_is_the_plain_text_not_the_python_literal(
        server: RecordingServer, airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_logs_echo_ok_json.json"))

    chunk = airflow2.get_logs(DAG_ID, "echo_ok", EXECUTION_DATE, 1)

    assert isinstance(chunk, InlineResponse200)
    assert server.requests[1].path == f"{TI_PATH}/echo_ok/logs/1"
    assert server.requests[1].header("Accept") == "application/json"
    # The same text Airflow 2 serves as text/plain, without its host line.
    plain = (RECORDED / "v2_logs_echo_ok_text.txt").read_text()
    assert plain == "vm\n" + chunk.content + "\n"
    assert "line 20 of output from echo_ok" in chunk.content
    assert "\\n" not in chunk.content and "['airflow', 'tasks', 'run'" in chunk.content
    # Text came, so the log may go on: the token is handed on.
    assert chunk.continuation_token == document("v2_logs_echo_ok_json.json")[
        "continuation_token"]


def test_the_empty_chunk_after_the_end_carries_no_token(server: RecordingServer,
                                                         airflow2: TaskInstanceApi) -> None:
    token = document("v2_logs_echo_ok_token.json")["continuation_token"]
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_logs_echo_ok_token.json"))

    chunk = airflow2.get_logs(DAG_ID, "echo_ok", EXECUTION_DATE, 1, token=token,
                              full_content=False)

    assert server.requests[1].query_params == {"full_content": ["false"], "token": [token]}
    assert chunk.content == "" and chunk.continuation_token is None


def test_an_empty_chunk_of_a_running_task_keeps_its_token(server: RecordingServer,
                                                           airflow2: TaskInstanceApi) -> None:
    # Airflow 2's token payload says end_of_log: false while the try is still running.
    payload = base64.urlsafe_b64encode(b'{"end_of_log":false,"log_pos":120}').rstrip(b"=")
    running = payload.decode() + ".signature"
    server.answer(recorded("v2_dagruns_by_date.json"),
                  Reply.json({"content": "[('vm', '')]", "continuation_token": running}))

    chunk = airflow2.get_logs(DAG_ID, "echo_ok", EXECUTION_DATE, 1, token=running)

    assert chunk.content == "" and chunk.continuation_token == running


def test_the_state_change_sends_dry_run_false_then_reads_the_task_instance_back(
        server: RecordingServer, airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_patch_success.json"),
                  recorded("v2_ti_fail_task_after_patch.json"))

    ti = airflow2.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE,
                                       TaskInstance(state=TaskState.SUCCESS),
                                       update_mask=["state"])

    _, patch, get = server.requests
    assert (patch.method, patch.path, patch.query) == ("PATCH", f"{TI_PATH}/fail_task", "")
    assert patch.json() == {"dry_run": False, "new_state": "success"}
    assert patch.header("Content-Type") == "application/json"
    assert (get.method, get.path) == ("GET", f"{TI_PATH}/fail_task")
    assert ti.state == TaskState.SUCCESS and ti.task_id == "fail_task"


def test_setting_the_state_it_already_has_succeeds(server: RecordingServer,
                                                   airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_patch_same_again.json"),
                  recorded("v2_ti_fail_task_after_patch.json"))

    ti = airflow2.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE,
                                       TaskInstance(state="success"))

    assert ti.state == TaskState.SUCCESS


@pytest.mark.parametrize(
    ("body", "mask", "message"),
    [
        (TaskInstance(state="success", pool="p2"), None, "also asks to change pool"),
        (TaskInstance(state="success"), ["state", "priority_weight"],
         "also asks to change priority_weight"),
        (TaskInstance(hostname="h"), ["state"], "not to None"),
        (TaskInstance(state="running"), None, "not to 'running'"),
        (TaskInstance(dag_id=DAG_ID, task_id="fail_task"), None, "asks to change nothing"),
    ],
)
def test_anything_but_a_settable_state_is_refused_before_sending(
        server: RecordingServer, airflow2: TaskInstanceApi, body: TaskInstance,
        mask: list[str], message: str) -> None:
    with pytest.raises(ApiValueError, match=message) as caught:
        airflow2.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE, body,
                                      update_mask=mask)

    assert "Airflow 2 can only change a task instance's state, to success, failed, skipped" in (
        str(caught.value))
    assert server.requests == []


def test_delete_is_refused_with_a_typed_error_before_sending(
        server: RecordingServer, airflow2: TaskInstanceApi) -> None:
    with pytest.raises(UnsupportedOperationException) as caught:
        airflow2.delete_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert server.requests == []
    assert caught.value.status == 405
    assert caught.value.error is not None
    assert caught.value.error.title == "delete_task_instance is not supported by Airflow 2"
    assert "no endpoint that deletes a task instance" in str(caught.value)


def test_bad_arguments_are_refused_before_the_lookup(server: RecordingServer,
                                                     airflow2: TaskInstanceApi) -> None:
    with pytest.raises(ApiValueError, match="`execution_date`"):
        airflow2.get_task_instance(DAG_ID, "echo_ok", "2026-11-26T00:00:00")
    with pytest.raises(ApiValueError, match="required argument `task_try_number`"):
        airflow2.get_logs(DAG_ID, "echo_ok", EXECUTION_DATE, None)  # type: ignore[arg-type]

    assert server.requests == []


def test_wrong_credentials_are_an_unauthorized_problem(server: RecordingServer,
                                                       airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_err_401_wrong_creds.json", status=401))

    with pytest.raises(UnauthorizedException) as caught:
        airflow2.get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    error = caught.value.error
    assert error is not None
    assert (error.status, error.title, error.detail) == (401, "Unauthorized", None)
    assert PASSWORD not in str(caught.value)


def test_no_run_at_the_date_is_not_found_and_says_so(server: RecordingServer,
                                                     airflow2: TaskInstanceApi) -> None:
    server.answer(Reply.json({"dag_runs": [], "total_entries": 0}))

    with pytest.raises(NotFoundException) as caught:
        airflow2.get_task_instance(DAG_ID, "echo_ok", "2030-01-01T00:00:00+00:00")

    assert len(server.requests) == 1
    assert isinstance(caught.value, RunNotFoundException)
    assert caught.value.error is not None
    assert caught.value.error.title == "DAG run not found"
    assert caught.value.error.detail == (
        "DAG 'feas_dag' has no run with execution date 2030-01-01T00:00:00+00:00")


def test_a_missing_task_is_not_found_and_says_which(server: RecordingServer,
                                                    airflow2: TaskInstanceApi) -> None:
    server.answer(recorded("v2_dagruns_by_date.json"),
                  recorded("v2_err_404_missing_ti.json", status=404),
                  recorded("v2_dagruns_by_date.json"),
                  recorded("v2_err_404_missing_ti.json", status=404))

    with pytest.raises(NotFoundException) as caught:
        airflow2.get_task_instance(DAG_ID, "no_such_task", EXECUTION_DATE)

    error = caught.value.error
    assert error is not None and error.status == 404
    assert error.title == "Task instance not found"
    assert error.detail == ("task instance 'no_such_task' of DAG 'feas_dag' (run "
                            "'sched_run_1126', execution date 2026-11-26T00:00:00+00:00) "
                            "not found")
    assert "no_such_task" in str(caught.value)


def test_a_refused_state_keeps_the_servers_problem(server: RecordingServer,
                                                   make_api) -> None:
    # A server that knows more states than the SDK checks for would answer like this.
    api = make_api("airflow2", "/api/v1")
    server.answer(recorded("v2_dagruns_by_date.json"),
                  recorded("v2_patch_bad_state.json", status=400))

    with pytest.raises(BadRequestException) as caught:
        api.update_task_instance(DAG_ID, "fail_task", EXECUTION_DATE,
                                 TaskInstance(state="skipped"))

    error = caught.value.error
    assert error is not None
    assert error.title == "Bad Request"
    assert error.detail == "'running' is not one of ['success', 'failed', 'skipped'] - 'new_state'"
    assert json.loads(caught.value.body or "")["status"] == 400

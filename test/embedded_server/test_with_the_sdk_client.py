"""The SDK's own client against the embedded server, through the airflow_client fixture."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.testing.server import AirflowApiServer

RUN = "2026-11-26T00:00:00Z"


def test_get_reads_a_task_instance_into_the_model(airflow_client: TaskInstanceApi) -> None:
    instance = airflow_client.get_task_instance("etl_daily", "transform", RUN)

    assert isinstance(instance, TaskInstance)
    assert instance.state == TaskState("failed")
    assert instance.execution_date == datetime(2026, 11, 26, tzinfo=timezone.utc)
    assert instance.try_number == 2


def test_a_datetime_execution_date_addresses_the_same_instance(
    airflow_client: TaskInstanceApi,
) -> None:
    when = datetime(2026, 11, 26, tzinfo=timezone.utc)

    assert airflow_client.get_task_instance("etl_daily", "transform", when).task_id == "transform"


def test_update_with_a_mask_changes_only_the_state(airflow_client: TaskInstanceApi) -> None:
    before = airflow_client.get_task_instance("etl_daily", "transform", RUN)

    updated = airflow_client.update_task_instance(
        "etl_daily",
        "transform",
        RUN,
        TaskInstance(state=TaskState("success"), hostname="elsewhere"),
        update_mask=["state"],
    )

    assert updated.state == TaskState("success")
    assert updated.hostname == before.hostname
    again = airflow_client.get_task_instance("etl_daily", "transform", RUN)
    assert again.state == TaskState("success")


def test_an_unknown_state_is_refused_with_a_parsed_problem(
    airflow_client: TaskInstanceApi,
) -> None:
    with pytest.raises(airflow_python_sdk.BadRequestException) as raised:
        airflow_client.update_task_instance(
            "etl_daily",
            "transform",
            RUN,
            TaskInstance(state=TaskState("exploded")),
            update_mask=["state"],
        )

    assert raised.value.status == 400
    assert raised.value.error is not None
    assert raised.value.error.status == 400
    assert "'exploded' is not one of" in str(raised.value.error.detail)


def test_an_unknown_mask_field_is_refused(airflow_client: TaskInstanceApi) -> None:
    with pytest.raises(airflow_python_sdk.BadRequestException) as raised:
        airflow_client.update_task_instance(
            "etl_daily",
            "transform",
            RUN,
            TaskInstance(state=TaskState("success")),
            update_mask=["colour"],
        )

    assert "colour" in str(raised.value.error.detail if raised.value.error else "")


def test_delete_then_get_is_not_found(airflow_client: TaskInstanceApi) -> None:
    assert airflow_client.delete_task_instance("etl_daily", "transform", RUN) is None

    with pytest.raises(airflow_python_sdk.NotFoundException) as raised:
        airflow_client.get_task_instance("etl_daily", "transform", RUN)

    assert raised.value.error is not None
    assert raised.value.error.title == "Task instance not found"


def test_following_log_tokens_reads_the_whole_log(airflow_client: TaskInstanceApi) -> None:
    whole = airflow_client.get_logs("etl_daily", "transform", RUN, 2, full_content=True).content

    chunk = airflow_client.get_logs("etl_daily", "transform", RUN, 2)
    pieces = [chunk.content]
    while chunk.continuation_token:
        assert len(pieces) < 50
        chunk = airflow_client.get_logs(
            "etl_daily", "transform", RUN, 2, token=chunk.continuation_token
        )
        pieces.append(chunk.content)

    assert len(pieces) >= 3
    assert "".join(pieces) == whole


def test_extra_links_come_back_as_models(airflow_client: TaskInstanceApi) -> None:
    links = airflow_client.get_extra_links("reporting", "build_report", RUN).extra_links

    assert [link.name for link in links] == ["Report", "Dashboard"]
    assert links[0].class_ref.class_name == "ReportLink"


def test_wrong_credentials_raise_unauthorized(airflow_api: AirflowApiServer) -> None:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="admin", password="wrong"
    )
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        api = TaskInstanceApi(api_client)
        with pytest.raises(airflow_python_sdk.UnauthorizedException) as raised:
            api.get_task_instance("etl_daily", "transform", RUN)

    assert raised.value.status == 401
    assert raised.value.error is not None
    assert raised.value.error.title == "Unauthorized"


def test_a_read_only_user_is_forbidden_to_delete(airflow_api: AirflowApiServer) -> None:
    configuration = airflow_python_sdk.Configuration(
        host=airflow_api.url, username="viewer", password="viewer"
    )
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        api = TaskInstanceApi(api_client)
        assert api.get_task_instance("etl_daily", "transform", RUN).task_id == "transform"
        with pytest.raises(airflow_python_sdk.ForbiddenException):
            api.delete_task_instance("etl_daily", "transform", RUN)


def test_the_client_rides_out_503s_that_say_when_to_retry(
    airflow_client: TaskInstanceApi, airflow_api: AirflowApiServer
) -> None:
    airflow_api.faults.fail_next(2, status=503, retry_after=0)

    instance = airflow_client.get_task_instance("etl_daily", "transform", RUN)

    assert instance.task_id == "transform"
    assert [entry.status for entry in airflow_api.request_log.entries()] == [503, 503, 200]


def test_a_stalled_server_trips_the_clients_timeout(
    airflow_client: TaskInstanceApi, airflow_api: AirflowApiServer
) -> None:
    airflow_api.faults.delay(2)

    with pytest.raises(airflow_python_sdk.ApiTimeoutError):
        airflow_client.get_task_instance("etl_daily", "transform", RUN, _request_timeout=0.2)

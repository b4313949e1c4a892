"""A call's `_retries` overrides the configuration's retries for that call only."""

from __future__ import annotations

from reliability.fast_clients import EXECUTION_DATE, task_instance_body
from support.recording_server import Reply

import airflow_python_sdk


def unavailable_then_ok() -> list[Reply]:
    return [Reply.json({"title": "Service Unavailable"}, status=503,
                       headers=[("Retry-After", "0")]),
            Reply(200, task_instance_body(), [("Content-Type", "application/json")])]


def test_retries_zero_on_one_call_gives_up_at_the_first_503(server, api_for):
    api = api_for(server.url)
    server.answer(*unavailable_then_ok())

    try:
        api.get_task_instance("etl_daily", "extract", EXECUTION_DATE, _retries=0)
    except airflow_python_sdk.ServiceException as error:
        assert error.status == 503
    else:
        raise AssertionError("a call with _retries=0 retried a 503")
    assert len(server.requests) == 1


def test_the_next_call_keeps_the_configurations_retries(server, api_for):
    api = api_for(server.url)
    server.answer(*unavailable_then_ok())

    ti = api.get_task_instance("etl_daily", "extract", EXECUTION_DATE)

    assert ti.task_id == "extract"
    assert len(server.requests) == 2


def test_a_call_may_ask_for_retries_the_configuration_turned_off(server, api_for):
    api = api_for(server.url, retries=0)
    server.answer(*unavailable_then_ok())

    ti = api.get_task_instance("etl_daily", "extract", EXECUTION_DATE, _retries=2)

    assert ti.task_id == "extract"
    assert len(server.requests) == 2

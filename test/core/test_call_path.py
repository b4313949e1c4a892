"""One call's path, as docs/ARCHITECTURE.md traces it: one way down, the configuration read only
when it changed, error statuses mapped above the transport, one codec per client."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.testing import AirflowApiServer
from tools.trace_call import layer_of, trace

DATE = "2026-11-26T00:00:00+00:00"


@pytest.fixture(scope="module")
def api() -> Iterator[TaskInstanceApi]:
    with AirflowApiServer() as server, ApiClient(
        Configuration(host=server.url, username="admin", password="admin")
    ) as client:
        api = TaskInstanceApi(client)
        api.get_task_instance("etl_daily", "transform", DATE)  # imports, connection, dialect
        yield api


def _traced(api: TaskInstanceApi) -> tuple[list[str], list[tuple[str, str]]]:
    return trace(lambda: api.get_task_instance("etl_daily", "transform", DATE))


def test_the_call_goes_one_way_down_but_for_the_method_decorator(api):
    _, hops = _traced(api)

    up = [(a, b) for a, b in hops if layer_of(b) < layer_of(a)]

    assert up == [("airflow_python_sdk._operation.endpoint",
                   "airflow_python_sdk.api.task_instance_api")]


def test_the_call_stays_within_the_modules_the_architecture_names(api):
    modules, _ = _traced(api)

    assert len(modules) <= 18, modules
    # The settings are read when they change, not at every call; an answer's problem and its
    # status's exception are worked out above the transport, and only for error statuses.
    assert not [m for m in modules if m.startswith("airflow_python_sdk._settings")]
    assert "airflow_python_sdk.dialects.problems" not in modules
    assert "airflow_python_sdk.transport.failures" not in modules


def test_only_the_channel_hands_requests_to_the_transport(api):
    _, hops = _traced(api)

    into_transport = {a for a, b in hops if b.startswith("airflow_python_sdk.transport")
                      and not a.startswith("airflow_python_sdk.transport")}

    assert into_transport == {"airflow_python_sdk.dialects.channel"}


def test_a_changed_setting_is_read_by_the_next_call(api):
    channel = api.api_client.channel
    api.get_task_instance("etl_daily", "transform", DATE)
    before = channel.settings()

    api.api_client.configuration.timeout = (3.0, 7.0)
    modules, _ = _traced(api)

    assert "airflow_python_sdk._settings.configuration" in modules
    assert channel.settings().timeout == (3.0, 7.0)
    assert channel.settings() is not before
    # And only once: the call after reads nothing of the configuration again.
    assert not [m for m in _traced(api)[0] if m.startswith("airflow_python_sdk._settings")]


def test_a_client_reads_every_answer_with_one_codec(api):
    codec = api.api_client.channel.codec

    api.get_task_instance("etl_daily", "transform", DATE)
    api.get_extra_links("etl_daily", "transform", DATE)

    assert api.api_client.channel.codec is codec

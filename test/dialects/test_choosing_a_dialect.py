"""Naming the dialect: in the configuration, in the environment, and what a wrong name does."""

from __future__ import annotations

import pytest
from dialects.recorded_answers import DAG_ID, EXECUTION_DATE, recorded
from support.recording_server import RecordingServer

from airflow_python_sdk import ApiClient, ApiValueError, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.dialects import KNOWN_DIALECTS, load_dialect
from airflow_python_sdk.dialects.airflow2 import Airflow2Dialect
from airflow_python_sdk.dialects.airflow3 import Airflow3Dialect
from airflow_python_sdk.dialects.auto import AutoDialect
from airflow_python_sdk.dialects.spec import SpecDialect


@pytest.mark.parametrize(
    ("name", "kind"),
    [("airflow2", Airflow2Dialect), ("Airflow3", Airflow3Dialect), (" auto ", AutoDialect),
     ("draft", SpecDialect)],
)
def test_each_name_loads_its_dialect(name: str, kind: type) -> None:
    assert isinstance(load_dialect(name), kind)


def test_each_load_is_a_new_object_so_clients_share_nothing() -> None:
    assert load_dialect("airflow3") is not load_dialect("airflow3")


def test_an_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ApiValueError) as caught:
        load_dialect("airflow4")
    assert "'airflow4'" in str(caught.value)
    for name in KNOWN_DIALECTS:
        assert name in str(caught.value)


def test_the_environment_names_the_dialect(server: RecordingServer) -> None:
    environment = {"AIRFLOW_API_HOST": server.url + "/api/v1", "AIRFLOW_API_USERNAME": "u",
                   "AIRFLOW_API_PASSWORD": "p", "AIRFLOW_API_DIALECT": "airflow2"}
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_ti_echo_ok.json"))

    with ApiClient(Configuration.from_env(environment)) as client:
        ti = TaskInstanceApi(client).get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert ti.dag_run_id == "sched_run_1126"
    assert server.requests[0].path == f"/api/v1/dags/{DAG_ID}/dagRuns"


def test_a_host_with_the_other_servers_prefix_is_refused_clearly(
        server: RecordingServer) -> None:
    configuration = Configuration(host=server.url + "/api/v1", dialect="airflow3")
    with ApiClient(configuration) as client, pytest.raises(ApiValueError) as caught:
        TaskInstanceApi(client).get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert "Airflow 3 serves its REST API under /api/v2" in str(caught.value)
    assert server.requests == []


def test_a_root_url_gets_the_servers_prefix(server: RecordingServer) -> None:
    configuration = Configuration(host=server.url + "/", username="u", password="p",
                                  dialect="airflow2")
    server.answer(recorded("v2_dagruns_by_date.json"), recorded("v2_ti_echo_ok.json"))

    with ApiClient(configuration) as client:
        TaskInstanceApi(client).get_task_instance(DAG_ID, "echo_ok", EXECUTION_DATE)

    assert server.requests[0].path == f"/api/v1/dags/{DAG_ID}/dagRuns"

"""A trigger is never sent twice: a POST that may have reached the server (the connection broke
after it was sent, or the answer was a 5xx) is not repeated, and its error says the run may
exist; one that never connected says nothing of the kind. On every dialect, over raw sockets."""

from __future__ import annotations

import json

import pytest
from reliability.raw_server import RawConnection, RawServer

import airflow_python_sdk
from airflow_python_sdk.api.dag_run_api import DAGRunApi
from airflow_python_sdk.model.dag_run import DAGRun

PREFIXES = {"draft": "/api/v1", "airflow2": "/api/v1", "airflow3": "/api/v2"}
TOKEN = json.dumps({"access_token": "header.payload.signature"}).encode()


def api(url: str, dialect: str) -> DAGRunApi:
    configuration = airflow_python_sdk.Configuration(
        host=url + PREFIXES[dialect], username="admin", password="admin", dialect=dialect,
        timeout=(2.0, 5.0))
    return DAGRunApi(airflow_python_sdk.ApiClient(configuration))


def token_then(last: str):
    """A script that answers Airflow 3's token request, then ends the next request with `last`
    ("reset": the connection breaks once the request is read; "503": a server error)."""
    triggers: list[bytes] = []

    def script(connection: RawConnection, index: int) -> None:
        while (request := connection.read_request()) is not None:
            if request.startswith(b"POST /auth/token"):
                connection.answer(201, TOKEN, (("Content-Type", "application/json"),))
                continue
            triggers.append(request)
            if last == "reset":
                connection.reset()
                return
            connection.answer(503, b'{"title": "Service Unavailable", "status": 503}',
                              (("Content-Type", "application/problem+json"),))

    return script, triggers


@pytest.mark.parametrize("dialect", sorted(PREFIXES))
def test_a_trigger_whose_connection_broke_is_not_sent_again(dialect: str) -> None:
    script, triggers = token_then("reset")
    with RawServer(script) as server:
        runs = api(server.url, dialect)
        with pytest.raises(airflow_python_sdk.ApiConnectionError) as caught:
            runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="maybe"))
        runs.api_client.close()

    assert len(triggers) == 1
    assert triggers[0].startswith(b"POST ") and b"/dags/etl_daily/dagRuns" in triggers[0]
    message = str(caught.value)
    assert "the connection broke" in message
    assert "the DAG run may exist" in message and "get_dag_run" in message


@pytest.mark.parametrize("dialect", sorted(PREFIXES))
def test_a_trigger_answered_503_is_not_sent_again(dialect: str) -> None:
    script, triggers = token_then("503")
    with RawServer(script) as server:
        runs = api(server.url, dialect)
        with pytest.raises(airflow_python_sdk.ServiceException) as caught:
            runs.trigger_dag_run("etl_daily", DAGRun(dag_run_id="maybe"))
        runs.api_client.close()

    assert len(triggers) == 1
    assert "the DAG run may exist" in str(caught.value)


def test_a_get_of_the_same_server_is_retried_as_before() -> None:
    # The trigger's single attempt is the POST's rule, not a client's: a GET is retried.
    script, triggers = token_then("503")
    with RawServer(script) as server:
        runs = api(server.url, "draft")
        runs.api_client.configuration.retries = 1
        with pytest.raises(airflow_python_sdk.ServiceException) as caught:
            runs.get_dag_run("etl_daily", "maybe")
        runs.api_client.close()

    assert len(triggers) == 2
    assert "may exist" not in str(caught.value)

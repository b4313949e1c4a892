"""Airflow 3's token endpoint, attacked: redirects that would carry the password away, answers
that hide the token in odd shapes or make it unsendable, and an endpoint that stalls while many
threads wait for a token."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import EXECUTION_DATE, PASSWORD, USERNAME
from support.bounded_call import call_bounded
from support.recording_server import RecordedRequest, RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.main import main

BOUND_S = 15.0
RUNS = {"dag_runs": [{"dag_run_id": "run_1", "logical_date": "2026-11-26T00:00:00+00:00"}],
        "total_entries": 1}
TI = {"task_id": "extract", "dag_id": "etl_daily", "logical_date": "2026-11-26T00:00:00+00:00",
      "state": "success", "try_number": 1}


def airflow3_api(url: str, **settings: Any) -> TaskInstanceApi:
    configuration = airflow_python_sdk.Configuration(
        host=url + "/api/v2", username=USERNAME, password=PASSWORD, dialect="airflow3",
        timeout=settings.pop("timeout", (2.0, 2.0)))
    configuration.retries = 0
    for name, value in settings.items():
        setattr(configuration, name, value)
    return TaskInstanceApi(airflow_python_sdk.ApiClient(configuration))


def get(api: TaskInstanceApi) -> Any:
    return api.get_task_instance("etl_daily", "extract", EXECUTION_DATE)


def serve_airflow3(token_reply: Reply):
    def answer(request: RecordedRequest) -> Reply:
        if request.path == "/auth/token":
            return token_reply
        if request.path.endswith("/dagRuns"):
            return Reply.json(RUNS)
        return Reply.json(TI)
    return answer


# -- redirects -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
@pytest.mark.parametrize("where", ["other-host", "same-host"])
def test_the_token_request_never_follows_a_redirect(status, where):
    with RecordingServer() as server, RecordingServer() as elsewhere:
        target = (elsewhere.url if where == "other-host" else server.url) + "/auth/token"
        server.handler = serve_airflow3(Reply(status, b"", [("Location", target)]))
        elsewhere.handler = serve_airflow3(Reply.json({"access_token": "stolen"}, status=201))
        api = airflow3_api(server.url)

        outcome = call_bounded(lambda: get(api), BOUND_S)
        api.api_client.close()

        assert isinstance(outcome.error, airflow_python_sdk.ApiStatusError), repr(outcome.error)
        assert outcome.error.status == status
        assert "not sent on after a redirect" in str(outcome.error)
        assert elsewhere.requests == []  # the password went nowhere else
        assert [r.path for r in server.requests] == ["/auth/token"]  # and only once


def test_a_redirect_of_the_api_itself_is_still_followed():
    with RecordingServer() as server:
        def answer(request: RecordedRequest) -> Reply:
            if request.path == "/auth/token":
                return Reply.json({"access_token": "tok"}, status=201)
            if request.path.endswith("/dagRuns"):
                return Reply.json(RUNS)
            if request.path.startswith("/moved"):
                return Reply.json(TI)
            return Reply(307, b"", [("Location", server.url + "/moved" + request.path)])
        server.handler = answer
        api = airflow3_api(server.url)

        assert get(api).task_id == "extract"
        api.api_client.close()


# -- what the answer holds -----------------------------------------------------------------------


SECRET_TOKEN = "eyJhbGciOi.SECRET-TOKEN-PAYLOAD.sig"


@pytest.mark.parametrize("reply", [
    Reply(200, f"access_token={SECRET_TOKEN}".encode(), [("Content-Type", "text/plain")]),
    Reply(201, json.dumps({"token": SECRET_TOKEN}).encode(), [("Content-Type", "text/json")]),
    Reply(201, (f'{{"access_token": "{SECRET_TOKEN}"').encode()),  # cut short
], ids=["form-text", "other-field", "truncated"])
def test_a_token_answer_of_another_shape_is_never_quoted(reply, capsys):
    with RecordingServer() as server:
        server.handler = serve_airflow3(reply)
        api = airflow3_api(server.url)

        outcome = call_bounded(lambda: get(api), BOUND_S)
        api.api_client.close()
        code = main(["get", "etl_daily", "extract", "2026-11-26T00:00:00+00:00", "--host",
                     server.url + "/api/v2", "--dialect", "airflow3", "--user", USERNAME,
                     "--debug"],
                    environ={"AIRFLOW_API_PASSWORD": PASSWORD})

    assert isinstance(outcome.error, airflow_python_sdk.ResponseValueError), repr(outcome.error)
    for shown in (str(outcome.error), repr(outcome.error), str(outcome.error.body)):
        assert "SECRET-TOKEN" not in shown
    captured = capsys.readouterr()
    assert code == exit_codes.API_ERROR
    assert "SECRET-TOKEN" not in captured.err + captured.out


@pytest.mark.parametrize("token", [
    "abc\r\nX-Injected: yes", "abc\ndef", "t\u00f6k\u20acn", "two words", "tab\there", "\x00",
], ids=["crlf", "lf", "non-latin-1", "space", "tab", "nul"])
def test_a_token_no_header_can_carry_is_refused_without_quoting_it(token):
    with RecordingServer() as server:
        server.handler = serve_airflow3(Reply.json({"access_token": token}, status=201))
        api = airflow3_api(server.url)

        outcome = call_bounded(lambda: get(api), BOUND_S)
        api.api_client.close()

        assert isinstance(outcome.error, airflow_python_sdk.ResponseValueError), (
            repr(outcome.error))
        assert "no HTTP header can carry" in str(outcome.error)
        assert token not in str(outcome.error) and "Bearer" not in str(outcome.error)
        assert [r.path for r in server.requests] == ["/auth/token"]  # nothing sent with it


def test_a_configured_access_token_no_header_can_carry_is_refused_before_sending():
    with RecordingServer() as server:
        api = airflow3_api(server.url, access_token="abc\r\nX-Injected: yes")

        with pytest.raises(airflow_python_sdk.ApiValueError, match="access_token") as caught:
            get(api)
        api.api_client.close()

        assert "Injected" not in str(caught.value)
        assert server.requests == []


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(token=st.text(min_size=1, max_size=40))
def test_any_token_is_sent_exactly_or_refused_without_being_quoted(token):
    with RecordingServer() as server:
        server.handler = serve_airflow3(Reply.json({"access_token": token}, status=201))
        api = airflow3_api(server.url)
        outcome = call_bounded(lambda: get(api), BOUND_S)
        api.api_client.close()
        sent = [r.header("Authorization") for r in server.requests if r.path != "/auth/token"]

    if outcome.error is None:
        assert sent and all(header == "Bearer " + token for header in sent)
    else:
        assert isinstance(outcome.error, airflow_python_sdk.ResponseValueError)
        assert sent == []
        if len(token) > 3:
            assert token not in str(outcome.error)


# -- a stalled endpoint --------------------------------------------------------------------------


def test_threads_waiting_for_a_stalled_token_endpoint_share_one_fetch_and_fail_together():
    with RecordingServer() as server:
        server.handler = serve_airflow3(Reply.json({"access_token": "late"}, status=201,
                                                   delay_s=3.0))
        api = airflow3_api(server.url, timeout=(0.5, 0.5))
        errors: list[BaseException] = []
        lock = threading.Lock()

        def one() -> None:
            try:
                get(api)
            except BaseException as error:
                with lock:
                    errors.append(error)

        threads = [threading.Thread(target=one) for _ in range(6)]
        outcome = call_bounded(lambda: [(t.start(), t) for t in threads]
                               and [t.join() for t in threads], BOUND_S)
        api.api_client.close()

        assert outcome.error is None
        assert len(errors) == 6
        assert all(isinstance(e, airflow_python_sdk.ApiTimeoutError) for e in errors), errors
        # One fetch in flight: before, the lock was held during it and each thread fetched in
        # turn, so six threads with a 0.5 s timeout took 3 s.
        assert [r.path for r in server.requests].count("/auth/token") == 1
        assert len({id(error) for error in errors}) == 6  # each thread has its own exception
        assert outcome.elapsed_s < 2.5

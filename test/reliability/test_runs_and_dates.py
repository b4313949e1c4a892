"""Execution dates at the edges of what Python holds, versions no Airflow reports, DAG runs that
share a date, and a job that walks through a hundred thousand runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from core.bounded_call import call_bounded
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import PASSWORD, USERNAME
from support.recording_server import RecordedRequest, RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.main import main
from airflow_python_sdk.dialects.run_lookup import REMEMBERED_RUNS, RunLookup
from airflow_python_sdk.dialects.wire import Answer
from airflow_python_sdk.transport import Response

BOUND_S = 10.0
PREFIX = {"airflow2": "/api/v1", "airflow3": "/api/v2", "auto": "/api/v1"}
DATE_FIELD = {"airflow2": "execution_date", "airflow3": "logical_date"}


def api_for(url: str, dialect: str) -> TaskInstanceApi:
    config = airflow_python_sdk.Configuration(host=url + PREFIX[dialect], username=USERNAME,
                                              password=PASSWORD, dialect=dialect,
                                              timeout=(2.0, 2.0))
    config.retries = 0
    return TaskInstanceApi(airflow_python_sdk.ApiClient(config))


def echoing_server(dialect: str):
    """A server whose one run has exactly the date the request filtered on."""
    field = DATE_FIELD[dialect]

    def answer(request: RecordedRequest) -> Reply:
        if request.path == "/auth/token":
            return Reply.json({"access_token": "tok"}, status=201)
        if request.path.endswith("/dagRuns"):
            date = request.query_params[f"{field}_gte"][0]
            return Reply.json({"dag_runs": [{"dag_run_id": "the_run", field: date}],
                               "total_entries": 1})
        return Reply.json({"task_id": "extract", "dag_id": "etl", "state": "success"})
    return answer


OFFSETS = st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
    lambda minutes: timezone(timedelta(minutes=minutes)))
EDGES = st.sampled_from(["0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00+23:59",
                         "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59.999999-23:59",
                         "0001-01-01T00:00:00Z"])


@pytest.mark.parametrize("dialect", ["airflow2", "airflow3"])
def test_dates_whose_utc_form_python_cannot_hold_find_their_run(dialect):
    with RecordingServer() as server:
        server.handler = echoing_server(dialect)
        api = api_for(server.url, dialect)
        for when in ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
            assert api.get_task_instance("etl", "extract", when).task_id == "extract"
        api.api_client.close()


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(dialect=st.sampled_from(["airflow2", "airflow3"]),
       when=st.datetimes(timezones=OFFSETS) | EDGES)
def test_any_aware_date_finds_its_run_on_real_server_dialects(dialect, when):
    with RecordingServer() as server:
        server.handler = echoing_server(dialect)
        api = api_for(server.url, dialect)
        outcome = call_bounded(lambda: api.get_task_instance("etl", "extract", when), BOUND_S)
        api.api_client.close()
    assert outcome.error is None, repr(outcome.error)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(run_date=st.text(max_size=40) | EDGES | st.datetimes(timezones=OFFSETS).map(
    lambda value: value.isoformat()))
def test_any_date_a_server_gives_its_run_is_an_answer_or_an_api_exception(run_date):
    with RecordingServer() as server:
        server.handler = lambda request: Reply.json(
            {"dag_runs": [{"dag_run_id": "r", "execution_date": run_date}]})
        api = api_for(server.url, "airflow2")
        outcome = call_bounded(
            lambda: api.get_task_instance("etl", "t", "2026-11-26T00:00:00+00:00"), BOUND_S)
        api.api_client.close()
    error = outcome.error
    assert error is None or isinstance(error, airflow_python_sdk.ApiException), repr(error)


# -- /version ------------------------------------------------------------------------------------


@pytest.mark.parametrize("version", ["\u00b2", "\u00b2.1", "9" * 5000, "9" * 5000 + ".1", "",
                                     "v2", "\u0663.0.0", "1.10.15", "3.0.0", None, 2, ["3"]],
                         ids=["superscript", "superscript-dot", "5000-digits", "5000-digits-dot",
                              "empty", "v2", "arabic-indic", "airflow1", "airflow3-at-api-v1",
                              "null", "number", "list"])
def test_a_version_no_airflow_reports_is_an_api_exception_or_the_draft(version):
    with RecordingServer() as server:
        server.handler = lambda request: Reply.json({"version": version})
        api = api_for(server.url, "auto")
        outcome = call_bounded(
            lambda: api.get_task_instance("etl", "t", "2026-11-26T00:00:00+00:00"), BOUND_S)
        api.api_client.close()
    error = outcome.error
    assert error is None or isinstance(error, airflow_python_sdk.ApiException), repr(error)
    if isinstance(version, str):
        assert isinstance(error, airflow_python_sdk.ResponseValueError), repr(error)
        assert len(str(error)) < 400


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(version=st.text(max_size=30))
def test_any_version_text_picks_a_dialect_or_is_an_api_exception(version):
    with RecordingServer() as server:
        server.handler = lambda request: (
            Reply.json({"version": version}) if request.path.endswith("/version")
            else Reply.json({"task_id": "t"}))
        api = api_for(server.url, "auto")
        outcome = call_bounded(
            lambda: api.get_task_instance("etl", "t", "2026-11-26T00:00:00+00:00"), BOUND_S)
        api.api_client.close()
    error = outcome.error
    assert error is None or isinstance(error, airflow_python_sdk.ApiException), repr(error)


# -- two runs at one date ------------------------------------------------------------------------


def twin_runs_on(day: str):
    """Airflow 3 where every date has one run, except `day`, which has two."""
    def answer(request: RecordedRequest) -> Reply:
        if request.path == "/auth/token":
            return Reply.json({"access_token": "tok"}, status=201)
        if request.path.endswith("/dagRuns"):
            date = request.query_params["logical_date_gte"][0]
            runs = [{"dag_run_id": f"run_{date}", "logical_date": date}]
            if date.startswith(day):
                runs.append({"dag_run_id": "manual_twin", "logical_date": date})
            return Reply.json({"dag_runs": runs, "total_entries": len(runs)})
        if request.method == "PATCH":
            return Reply.json({"task_instances": [{"task_id": "extract", "state": "failed"}],
                               "total_entries": 1})
        return Reply.json({"task_id": "extract", "state": "failed"})
    return answer


def test_two_runs_at_one_date_is_an_api_error():
    with RecordingServer() as server:
        server.handler = twin_runs_on("2026-11-05")
        api = api_for(server.url, "airflow3")
        with pytest.raises(airflow_python_sdk.AmbiguousRunException) as caught:
            api.get_task_instance("etl", "extract", "2026-11-05T00:00:00+00:00")
        api.api_client.close()
    error = caught.value
    assert isinstance(error, airflow_python_sdk.ApiException)
    assert isinstance(error, airflow_python_sdk.ConflictException) and error.status == 409
    assert isinstance(error, airflow_python_sdk.ApiValueError)  # what it was before
    assert "manual_twin" in str(error)


def test_set_state_over_dates_with_one_ambiguous_prints_its_summary(capsys):
    dates = [f"2026-11-{day:02d}T00:00:00+00:00" for day in range(1, 29)]
    with RecordingServer() as server:
        server.handler = twin_runs_on("2026-11-05")
        code = main(["set-state", "etl", "extract", "--state", "failed", "--dialect", "airflow3",
                     "--host", server.url + "/api/v2", "--user", USERNAME, "--no-progress",
                     *dates], environ={"AIRFLOW_API_PASSWORD": PASSWORD})
        patches = sum(request.method == "PATCH" for request in server.requests)

    out = capsys.readouterr().out
    assert code == exit_codes.SOME_FAILED
    assert patches == 27
    assert "27 of 28 done, 1 failed" in out
    assert "2026-11-05T00:00:00+00:00  409 Ambiguous DAG run" in out


# -- a hundred thousand runs ---------------------------------------------------------------------


def test_the_run_cache_keeps_the_runs_used_last_and_no_more():
    lookup = RunLookup("execution_date", ("execution_date",))
    asked: list[datetime] = []
    start = datetime(2000, 1, 1, tzinfo=timezone.utc)

    def fetch(path: str, query: list[tuple[str, str]]) -> Any:
        date = dict(query)["execution_date_gte"]
        asked.append(datetime.fromisoformat(date))
        return Answer(200, {}, {"dag_runs": [{"dag_run_id": date, "execution_date": date}]},
                      Response(200), "http://h/api/v1/dags/d/dagRuns")

    first = start
    for hour in range(100_000):
        lookup.run_id("http://h/api/v1", "d", start + timedelta(hours=hour), fetch)
        # The first run stays in use all along: it must never be forgotten.
        lookup.run_id("http://h/api/v1", "d", first, fetch)

    assert len(lookup) == REMEMBERED_RUNS
    assert asked.count(first) == 1
    assert lookup.remembered("http://h/api/v1", "d", start + timedelta(hours=99_999))
    assert lookup.remembered("http://h/api/v1", "d", start + timedelta(hours=5)) is None

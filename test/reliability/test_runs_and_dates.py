"""Execution dates at the edges of what Python holds, versions no Airflow reports, DAG runs that
share a date, and a job that walks through many more runs than a client remembers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from reliability.fast_clients import PASSWORD, USERNAME
from support.bounded_call import Outcome, call_bounded
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


def get_from(handler: Callable[[RecordedRequest], Reply], dialect: str,
             when: Any = "2026-11-26T00:00:00+00:00",
             task_id: str = "t") -> tuple[Outcome, list[str]]:
    """One get_task_instance, bounded, against a server answering with `handler`; its outcome
    and the paths the server was asked for."""
    with RecordingServer() as server:
        server.handler = handler
        api = api_for(server.url, dialect)
        outcome = call_bounded(lambda: api.get_task_instance("etl", task_id, when), BOUND_S)
        api.api_client.close()
        paths = [request.path for request in server.requests]
    return outcome, paths


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
    outcome, _ = get_from(echoing_server(dialect), dialect, when, task_id="extract")
    assert outcome.error is None, repr(outcome.error)


ASKED_DATE = datetime(2026, 11, 26, tzinfo=timezone.utc)


def names_the_asked_instant(text: str) -> bool:
    """Whether `text` is an ISO 8601 date-time with an offset naming the instant asked for."""
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None and parsed == ASKED_DATE


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(run_date=st.text(max_size=40) | EDGES | st.datetimes(timezones=OFFSETS).map(
    lambda value: value.isoformat()))
# The asked instant written three ways: the run found whatever its offset.
@example(run_date="2026-11-26T00:00:00Z")
@example(run_date="2026-11-26T01:00:00+01:00")
@example(run_date="2026-11-25T19:00:00.000000-05:00")
def test_any_date_a_server_gives_its_run_finds_that_run_or_none(run_date):
    def answer(request: RecordedRequest) -> Reply:
        if request.path.endswith("/dagRuns"):
            return Reply.json({"dag_runs": [{"dag_run_id": "r", "execution_date": run_date}]})
        return Reply.json({"task_id": "t", "dag_id": "etl"})

    outcome, paths = get_from(answer, "airflow2", ASKED_DATE)
    if names_the_asked_instant(run_date):
        assert outcome.error is None, repr(outcome.error)
        assert outcome.result.task_id == "t"
        assert paths[-1] == "/api/v1/dags/etl/dagRuns/r/taskInstances/t"
    else:
        # A date that is not the one asked for (or no date at all) is no match: the task
        # instance of that run is never asked for.
        error = outcome.error
        assert isinstance(error, airflow_python_sdk.RunNotFoundException), repr(error)
        assert "has no run with execution date 2026-11-26T00:00:00" in str(error)
        assert paths == ["/api/v1/dags/etl/dagRuns"]


# -- /version ------------------------------------------------------------------------------------


def airflow_major(version: str) -> Optional[int]:
    """The major release a /version text names: up to four ASCII digits after optional white
    space, then a dot or nothing but white space ("2.10.5", " 3 "); None for anything else."""
    found = re.fullmatch(r"\s*([0-9]{1,4})(?:\..*|\s*)", version, flags=re.DOTALL)
    return int(found.group(1)) if found else None


@pytest.mark.parametrize("version", ["\u00b2", "\u00b2.1", "9" * 5000, "9" * 5000 + ".1", "",
                                     "v2", "\u0663.0.0", "1.10.15", "3.0.0"],
                         ids=["superscript", "superscript-dot", "5000-digits", "5000-digits-dot",
                              "empty", "v2", "arabic-indic", "airflow1", "airflow3-at-api-v1"])
def test_a_version_no_airflow_reports_is_a_short_response_value_error(version):
    outcome, paths = get_from(lambda request: Reply.json({"version": version}), "auto")
    assert isinstance(outcome.error, airflow_python_sdk.ResponseValueError), repr(outcome.error)
    assert len(str(outcome.error)) < 400
    assert paths == ["/api/v1/version"]  # nothing asked of a server the SDK cannot speak to


@pytest.mark.parametrize("version", [None, 2, ["3"]], ids=["null", "number", "list"])
def test_a_version_that_is_no_text_is_no_version_and_the_draft_is_spoken(version):
    outcome, paths = get_from(lambda request: Reply.json({"version": version}), "auto")
    assert outcome.error is None, repr(outcome.error)
    # Both API roots were asked, then the draft's path used, its answer read as it came.
    assert paths == ["/api/v1/version", "/api/v2/version",
                     "/api/v1/dags/etl/taskInstances/t/2026-11-26T00%3A00%3A00%2B00%3A00"]
    assert outcome.result.to_dict() == {"version": version}


@settings(max_examples=50, deadline=None, suppress_health_check=list(HealthCheck))
@given(version=st.text(max_size=30))
@example(version="2.10.5")
@example(version=" 2 ")
@example(version="3.3.2")
@example(version="1.10.15")
def test_any_version_text_picks_airflow_2_or_is_a_response_value_error(version):
    def answer(request: RecordedRequest) -> Reply:
        if request.path.endswith("/version"):
            return Reply.json({"version": version})
        if request.path.endswith("/dagRuns"):
            return Reply.json({"dag_runs": [{"dag_run_id": "r",
                                             "execution_date": "2026-11-26T00:00:00+00:00"}]})
        return Reply.json({"task_id": "t"})

    outcome, _ = get_from(answer, "auto")
    if airflow_major(version) == 2:
        # Airflow 2 at /api/v1, where it was asked: its dialect finds the run, then the task.
        assert outcome.error is None, repr(outcome.error)
        assert outcome.result.task_id == "t"
    else:
        # Not Airflow, Airflow 1, or Airflow 3 claimed at /api/v1: said, not guessed at.
        assert isinstance(outcome.error, airflow_python_sdk.ResponseValueError), (
            repr(outcome.error))
        assert len(str(outcome.error)) < 400


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


# -- many more runs than are remembered ----------------------------------------------------------

# Three times what the cache holds: every run beyond the first REMEMBERED_RUNS pushes one out.
RUNS_WALKED = 3 * REMEMBERED_RUNS


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
    for hour in range(RUNS_WALKED):
        lookup.run_id("http://h/api/v1", "d", start + timedelta(hours=hour), fetch)
        # The first run stays in use all along: it must never be forgotten.
        lookup.run_id("http://h/api/v1", "d", first, fetch)

    assert len(lookup) == REMEMBERED_RUNS
    assert asked.count(first) == 1
    assert len(asked) == RUNS_WALKED  # each run asked for once, while it was remembered
    assert lookup.remembered("http://h/api/v1", "d", start + timedelta(hours=RUNS_WALKED - 1))
    assert lookup.remembered("http://h/api/v1", "d", start + timedelta(hours=5)) is None

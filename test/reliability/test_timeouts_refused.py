"""Timeouts that cannot work are refused where they are given, with `ApiValueError` naming the
setting and the value, and nothing is sent."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reliability.fast_clients import EXECUTION_DATE, TASK_INSTANCE
from support.recording_server import Reply

import airflow_python_sdk
from airflow_python_sdk._settings.timeouts import LONGEST_TIMEOUT
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.main import main

BAD = [0, -1, 0.0, -0.5, math.nan, math.inf, -math.inf, True, "10", (1, 0), (math.nan, 5),
       (5, math.inf), (1, 2, 3), None.__class__, 1e300, 10**400, LONGEST_TIMEOUT + 0.5,
       (5, 1e300)]
BAD_IDS = ["0", "-1", "0.0", "-0.5", "nan", "inf", "-inf", "True", "text", "pair-0",
           "pair-nan", "pair-inf", "triple", "type", "1e300", "10**400", "a day and a half second",
           "pair-1e300"]


@pytest.mark.parametrize("value", BAD, ids=BAD_IDS)
def test_a_bad_configured_timeout_is_refused_when_set(value):
    with pytest.raises(airflow_python_sdk.ApiValueError, match="Invalid timeout") as caught:
        airflow_python_sdk.Configuration(timeout=value)
    assert caught.value.path_to_item == ["timeout"]
    config = airflow_python_sdk.Configuration()
    with pytest.raises(airflow_python_sdk.ApiValueError):
        config.timeout = value
    assert config.timeout == (10.0, 60.0)  # the refused value did not replace the good one


@pytest.mark.parametrize("value", BAD, ids=BAD_IDS)
def test_a_bad_per_call_timeout_is_refused_and_nothing_is_sent(server, api_for, value):
    server.answer(Reply.json(TASK_INSTANCE))
    api = api_for(server.url)

    with pytest.raises(airflow_python_sdk.ApiValueError, match="Invalid _request_timeout"):
        api.get_task_instance("etl_daily", "extract", EXECUTION_DATE, _request_timeout=value)

    assert server.requests == []


@pytest.mark.parametrize("text", ["0", "-1", "nan", "inf", "1e999", "soon", "-inf", "1e300"])
def test_a_bad_timeout_in_the_environment_is_refused(text):
    with pytest.raises(airflow_python_sdk.ApiValueError, match="AIRFLOW_API_TIMEOUT"):
        airflow_python_sdk.Configuration.from_env({"AIRFLOW_API_TIMEOUT": text})


@pytest.mark.parametrize("where", ["option", "environment"])
@pytest.mark.parametrize("text", ["inf", "nan", "0", "-1", "1e999", "1e300"])
def test_the_command_refuses_a_bad_timeout_with_exit_2(capsys, where, text):
    argv = ["get", "etl", "extract", "2026-11-26T00:00:00+00:00", "--host", "http://127.0.0.1:9"]
    environ = {"AIRFLOW_API_TIMEOUT": text} if where == "environment" else {}
    if where == "option":
        argv += ["--timeout", text]

    code = main(argv, environ=environ)

    assert code == exit_codes.USAGE
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err and "timeout" in captured.err.lower()


@given(st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**30, max_value=10**30),
    st.tuples(st.floats(allow_nan=True, allow_infinity=True),
              st.floats(allow_nan=True, allow_infinity=True)),
))
def test_any_number_is_either_a_usable_timeout_or_refused_with_api_value_error(value):
    numbers = value if isinstance(value, tuple) else (value,)
    usable = all(math.isfinite(part) and 0 < part <= LONGEST_TIMEOUT for part in numbers)
    try:
        config = airflow_python_sdk.Configuration(timeout=value)
    except airflow_python_sdk.ApiValueError:
        assert not usable
    else:
        assert usable and config.timeout == value


def test_an_absurd_timeout_says_what_the_longest_is(server, api_for):
    server.answer(Reply.json(TASK_INSTANCE))
    api = api_for(server.url)

    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        api.get_task_instance("etl_daily", "extract", EXECUTION_DATE, _request_timeout=1e300)
    assert "at most 86400 seconds (a day)" in str(caught.value)
    assert server.requests == []

    # The longest there is still works.
    ti = api.get_task_instance("etl_daily", "extract", EXECUTION_DATE,
                               _request_timeout=(LONGEST_TIMEOUT, LONGEST_TIMEOUT))
    assert ti.task_id == TASK_INSTANCE["task_id"]

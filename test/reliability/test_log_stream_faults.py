"""A log read as it arrives (`iter_log_chunks`, `write_logs`, `airflow-sdk logs --output`) whose
connection breaks or stalls in the middle of its body ends with the SDK's own error, as a log
read whole does: `ApiConnectionError` or `ApiTimeoutError`, never urllib3's exception."""

from __future__ import annotations

import json

import pytest
import urllib3
from reliability.fast_clients import EXECUTION_DATE
from reliability.raw_server import RawConnection, RawServer
from support.bounded_call import call_bounded

import airflow_python_sdk
from airflow_python_sdk.log_follow import iter_log_chunks

BOUND_S = 10.0
HALF_A_LOG = json.dumps({"content": "line\n" * 5000, "continuation_token": None}).encode()


def breaks_in_the_middle(how: str):
    def script(connection: RawConnection, index: int) -> None:
        if connection.read_request() is None:
            return
        connection.answer(200, HALF_A_LOG[: len(HALF_A_LOG) // 2],
                          (("Content-Type", "application/json"),),
                          content_length=len(HALF_A_LOG))
        if how == "reset":
            connection.reset()
        elif how == "stall":
            connection.stopping.wait(5)
        # "close": the script returns, and the server closes the connection cleanly

    return script


@pytest.mark.parametrize(("how", "expected"), [
    ("reset", airflow_python_sdk.ApiConnectionError),
    ("close", airflow_python_sdk.ApiConnectionError),
    ("stall", airflow_python_sdk.ApiTimeoutError),
])
def test_a_log_that_breaks_while_it_arrives_ends_with_the_sdks_error(api_for, how, expected):
    with RawServer(breaks_in_the_middle(how)) as server:
        api = api_for(server.url, timeout=(2.0, 0.5))

        outcome = call_bounded(lambda: list(iter_log_chunks(
            api, "etl_daily", "extract", EXECUTION_DATE, 1)), BOUND_S)

    assert isinstance(outcome.error, expected), repr(outcome.error)
    assert isinstance(outcome.error.__cause__, urllib3.exceptions.HTTPError)
    assert "logs/1" in str(outcome.error)  # which answer broke

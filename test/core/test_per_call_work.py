"""Work done once instead of on every call gives what doing it every time gave: credentials
changed on a live client are sent at once, a subclass's own credentials are asked each call,
and path segments and date-times are written as before."""

from __future__ import annotations

import base64
from datetime import datetime, timedelta, timezone

import pytest

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk._internal.datetimes import format_datetime
from airflow_python_sdk._operation import encode_path_segment
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.testing import MockTransport, json_response
from airflow_python_sdk.transport import Request

DATE = "2026-11-26T00:00:00+00:00"


def _client(configuration: Configuration, seen: list[Request]) -> ApiClient:
    def handler(request: Request):  # type: ignore[no-untyped-def]
        seen.append(request)
        return json_response({"task_id": "t"})

    return ApiClient(configuration, transport=MockTransport(handler))


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_credentials_changed_on_a_live_client_are_sent_at_once() -> None:
    seen: list[Request] = []
    configuration = Configuration(host="http://airflow.example/api/v1", username="a",
                                  password="1")
    api = TaskInstanceApi(_client(configuration, seen))
    api.get_task_instance("d", "t", DATE)
    configuration.password = "2"
    api.get_task_instance("d", "t", DATE)
    configuration.username = None
    configuration.password = None
    api.get_task_instance("d", "t", DATE)
    assert [r.headers.get("Authorization") for r in seen] == [
        _basic("a", "1"), _basic("a", "2"), None]


def test_a_configuration_subclass_is_asked_for_credentials_on_every_call() -> None:
    tokens = iter(["Bearer one", "Bearer two"])

    class TokenConfiguration(Configuration):
        def get_basic_auth_token(self):  # type: ignore[no-untyped-def]
            return next(tokens)

    seen: list[Request] = []
    configuration = TokenConfiguration(host="http://airflow.example/api/v1", username="a")
    api = TaskInstanceApi(_client(configuration, seen))
    api.get_task_instance("d", "t", DATE)
    api.get_task_instance("d", "t", DATE)
    assert [r.headers["Authorization"] for r in seen] == ["Bearer one", "Bearer two"]


@pytest.mark.parametrize(
    ("segment", "sent"),
    [
        ("etl_daily.v2-x~", "etl_daily.v2-x~"),
        ("a/b c", "a%2Fb%20c"),
        ("caf\u00e9", "caf%C3%A9"),
        (".", "%2E"),
        ("..", "%2E%2E"),
        ("...", "..."),
    ],
)
def test_path_segments(segment: str, sent: str) -> None:
    assert encode_path_segment(segment) == sent


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (datetime(2026, 11, 26, tzinfo=timezone.utc), "2026-11-26T00:00:00+00:00"),
        (datetime(2026, 11, 26, 1, tzinfo=timezone(timedelta(hours=1))),
         "2026-11-26T01:00:00+01:00"),
        (datetime(2026, 11, 26, 0, 0, 0, 5, tzinfo=timezone.utc),
         "2026-11-26T00:00:00.000005+00:00"),
    ],
)
def test_date_times(value: datetime, text: str) -> None:
    assert format_datetime(value) == text

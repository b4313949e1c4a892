"""Secrets in the host URL's user-info, and in the local variables an error reporter captures
with a traceback: never shown."""

from __future__ import annotations

import types
from typing import Any, Iterator
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st
from reliability.fast_clients import (
    EXECUTION_DATE,
    PASSWORD,
    SECRETS,
    USERNAME,
    make_configuration,
)
from support.bounded_call import call_bounded
from support.recording_server import RecordedRequest, RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

BOUND_S = 10.0
URL_SECRET = "url-S3CRET-pw"


def assert_no_secret(text: str, *extra: str) -> None:
    for name, secret in {**SECRETS, **{value: value for value in extra}}.items():
        assert secret not in text, f"{name} shown in: {text[:300]}"


@pytest.mark.parametrize("dialect", ["draft", "airflow2", "airflow3", "auto"])
def test_a_password_in_the_host_url_is_shown_nowhere(dialect, refused_port):
    host = f"http://{USERNAME}:{URL_SECRET}@127.0.0.1:{refused_port}/api/v1"
    config = airflow_python_sdk.Configuration(host=host, dialect=dialect, timeout=(0.5, 0.5))
    config.retries = 0

    assert_no_secret(repr(config) + config.to_debug_report(), URL_SECRET)
    assert f"{USERNAME}:***@127.0.0.1" in repr(config)
    with airflow_python_sdk.ApiClient(config) as client:
        outcome = call_bounded(
            lambda: TaskInstanceApi(client).get_task_instance("d", "t", EXECUTION_DATE), BOUND_S)
    assert outcome.error is not None
    assert_no_secret(str(outcome.error) + repr(outcome.error), URL_SECRET)


def test_a_token_given_as_the_user_name_alone_is_hidden_too():
    assert redact_url("https://ghp_T0KEN@example.com/api/v1") == "https://***@example.com/api/v1"
    assert redact_url("http://u:p@[::1") == "http://u:***@[::1"  # not even a valid URL


def test_an_unreadable_answer_on_a_real_server_dialect_hides_the_url_password():
    with RecordingServer() as server:
        server.handler = lambda request: Reply(200, b"<html>not json</html>")
        host = server.url.replace("http://", f"http://{USERNAME}:{URL_SECRET}@") + "/api/v1"
        config = airflow_python_sdk.Configuration(host=host, dialect="airflow2")
        with airflow_python_sdk.ApiClient(config) as client, \
                 pytest.raises(airflow_python_sdk.ResponseValueError) as caught:
            TaskInstanceApi(client).get_task_instance("d", "t", EXECUTION_DATE)
    assert_no_secret(str(caught.value), URL_SECRET)


@given(user=st.text(min_size=1, max_size=10).filter(lambda s: "@" not in s and ":" not in s),
       secret=st.text(min_size=4, max_size=20))
def test_any_user_info_password_is_redacted(user, secret):
    url = f"http://{quote(user, safe='')}:{quote(secret, safe='')}@host:8080/api/v1?x=@y"
    shown = redact_url(url)
    assert shown == f"http://{quote(user, safe='')}:***@host:8080/api/v1?x=@y"


# -- a traceback's local variables ---------------------------------------------------------------


def frames(error: BaseException) -> Iterator[types.FrameType]:
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        tb = error.__traceback__
        while tb is not None:
            yield tb.tb_frame
            tb = tb.tb_next
        error = error.__cause__ or error.__context__  # type: ignore[assignment]


def shown_locals(error: BaseException) -> str:
    """What an error reporter shows of every frame: repr of each local variable."""
    parts = []
    for frame in frames(error):
        for name, value in frame.f_locals.items():
            try:
                parts.append(f"{frame.f_code.co_name}.{name}={value!r}")
            except Exception as exc:  # a repr that fails shows nothing
                parts.append(f"{name}=<{type(exc).__name__}>")
    return "\n".join(parts)


def test_no_secret_in_the_locals_of_a_refused_basic_auth_call():
    with RecordingServer() as server:
        server.handler = lambda request: Reply.json({"title": "Unauthorized"}, status=401)
        with airflow_python_sdk.ApiClient(make_configuration(server.url)) as client, \
                 pytest.raises(airflow_python_sdk.UnauthorizedException) as caught:
            TaskInstanceApi(client).get_task_instance("d", "t", EXECUTION_DATE)
    text = shown_locals(caught.value)
    # The headers sent are among the locals shown (else the test would look at nothing), with
    # the credentials as '***'.
    assert "'Authorization': '***'" in text
    assert_no_secret(text)


def test_no_secret_in_the_locals_of_a_failed_token_fetch_or_of_a_refused_bearer_call():
    def answer(request: RecordedRequest) -> Any:
        if request.path == "/auth/token":
            return Reply.json({"access_token": "BEARER-S3CRET"}, status=201)
        return Reply.json({"detail": "no"}, status=401)

    with RecordingServer() as server:
        server.handler = answer
        config = airflow_python_sdk.Configuration(
            host=server.url + "/api/v2", username=USERNAME, password=PASSWORD, dialect="airflow3")
        with airflow_python_sdk.ApiClient(config) as client, \
                 pytest.raises(airflow_python_sdk.UnauthorizedException) as caught:
            TaskInstanceApi(client).get_task_instance("d", "t", EXECUTION_DATE)
        server.handler = lambda request: Reply.json({"detail": "down"}, status=503)
        with airflow_python_sdk.ApiClient(config) as client, \
                 pytest.raises(airflow_python_sdk.ServiceException) as failed:
            TaskInstanceApi(client).get_task_instance("d", "t", EXECUTION_DATE)
    assert_no_secret(shown_locals(caught.value), "BEARER-S3CRET")
    assert_no_secret(shown_locals(failed.value), "BEARER-S3CRET")


@pytest.mark.parametrize("reachable", [True, False], ids=["answered-401", "refused"])
def test_the_command_never_shows_the_url_password_even_with_debug(capsys, reachable, refused_port):
    from airflow_python_sdk.cli.main import main

    with RecordingServer() as server:
        server.handler = lambda request: Reply.json({"title": "Unauthorized"}, status=401)
        port = server.port if reachable else refused_port
        host = f"http://{USERNAME}:{URL_SECRET}@127.0.0.1:{port}/api/v1"
        code = main(["get", "etl", "t", "2026-11-26T00:00:00+00:00", "--host", host, "--debug",
                     "--timeout", "1"], environ={})

    captured = capsys.readouterr()
    assert code != 0
    assert_no_secret(captured.out + captured.err, URL_SECRET)
    assert f"{USERNAME}:***@127.0.0.1" in captured.err

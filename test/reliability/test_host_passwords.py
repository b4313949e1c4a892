"""A host URL whose password holds a `/`, `?` or `#` that is not percent-encoded: the URL then
ends its host inside the password, which neither a parser nor the redaction can take apart, so
`repr(Configuration)` and `to_debug_report()` showed it. Such a host is refused where it is
given, with an `ApiValueError` that says to percent-encode the password and never quotes it."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from support.command_runner import clean_environment
from support.paths import REPO_ROOT
from support.recording_server import RecordingServer, Reply

from airflow_python_sdk import ApiClient, ApiValueError, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

PASSWORDS = ["pa/ss", "pa?ss", "pa#ss", "p@ss/word", "s3cr/", "pa/ss/wo?rd#x"]


def host_with(password: str, rest: str = "airflow.example:8080/api/v1") -> str:
    return f"https://night-job:{password}@{rest}"


@pytest.mark.parametrize("password", PASSWORDS)
def test_a_password_with_an_unescaped_slash_is_refused_without_being_quoted(password: str
                                                                            ) -> None:
    with pytest.raises(ApiValueError) as by_constructor:
        Configuration(host=host_with(password))
    configuration = Configuration(host="http://127.0.0.1:8080/api/v1")
    with pytest.raises(ApiValueError) as by_setter:
        configuration.host = host_with(password)
    with pytest.raises(ApiValueError) as by_environment:
        Configuration.from_env({"AIRFLOW_API_HOST": host_with(password)})

    for caught in (by_constructor, by_setter, by_environment):
        message = str(caught.value)
        assert "percent-encode the password" in message and "%2F" in message
        assert password not in message and "pa" not in message.replace("password", "")
        assert caught.value.path_to_item == ["host"]
    assert configuration.host == "http://127.0.0.1:8080/api/v1"  # the refused one did not stick


def test_the_command_refuses_it_as_a_usage_error_without_quoting_it() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "airflow_python_sdk", "list"],
        env=clean_environment(AIRFLOW_API_HOST=host_with("s3cr/et")), capture_output=True,
        text=True, timeout=60, cwd=REPO_ROOT, check=False)

    assert done.returncode == 2, done.stderr
    assert "percent-encode the password" in done.stderr
    assert "s3cr" not in done.stderr + done.stdout and "Traceback" not in done.stderr


def test_the_percent_encoded_password_works_and_is_never_shown() -> None:
    with RecordingServer(handler=lambda request: Reply.json(
            {"task_id": "t", "dag_id": "d"})) as server:
        host = server.url.replace("http://", "http://night-job:pa%2Fss@") + "/api/v1"
        configuration = Configuration(host=host)
        with ApiClient(configuration) as client:
            TaskInstanceApi(client).get_task_instance("d", "t", "2026-11-26T00:00:00+00:00")
        shown = repr(configuration) + configuration.to_debug_report()
    assert "pa%2Fss" not in shown and "night-job:***@" in shown


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12))
def test_any_host_is_kept_exactly_or_refused_without_quoting_its_password(password: str
                                                                          ) -> None:
    host = host_with(password)
    try:
        configuration = Configuration(host=host)
    except ApiValueError as error:
        assert any(mark in password for mark in "/?#")
        assert "percent-encode the password" in str(error)
    else:
        assert not any(mark in password for mark in "/?#")
        assert configuration.host == host

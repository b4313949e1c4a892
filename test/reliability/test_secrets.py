"""The password and the Authorization header never show: not in repr, str, the debug report,
exception messages and tracebacks, log records (with `debug=True`) or what is printed; and they
do not follow a redirect to another host."""

from __future__ import annotations

import io
import logging
import traceback
import warnings
from urllib.parse import quote

import pytest
from reliability.fast_clients import (
    EXECUTION_DATE,
    PASSWORD,
    SECRETS,
    TASK_INSTANCE,
    TOKEN,
    USERNAME,
    make_configuration,
)
from reliability.raw_server import RawConnection, RawServer
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.transport.security import InsecureCredentialsWarning, forget_warned_hosts

BOUND_S = 10.0
def assert_no_secret(text: str, where: str) -> None:
    for form, secret in SECRETS.items():
        assert secret not in text, f"the {form} appears in {where}"


@pytest.fixture
def captured_logs():
    """Every record of every logger, formatted with its traceback, at DEBUG level."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setLevel(logging.DEBUG)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    saved = root.level, {name: logging.getLogger(name).level
                         for name in ("airflow_python_sdk", "urllib3")}
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield stream
    root.removeHandler(handler)
    root.setLevel(saved[0])
    for name, level in saved[1].items():
        logging.getLogger(name).setLevel(level)


def test_no_secret_in_logs_errors_or_output_of_succeeding_and_failing_calls(
    captured_logs, capfd, refused_port
):
    texts: list[str] = []
    calls = 0

    def run(api: TaskInstanceApi, call) -> None:
        nonlocal calls
        calls += 1
        outcome = call_bounded(lambda: call(api), BOUND_S)
        if outcome.error is not None:
            texts.append(str(outcome.error))
            texts.append(repr(outcome.error))
            texts.append("".join(traceback.format_exception(
                type(outcome.error), outcome.error, outcome.error.__traceback__)))
            logging.getLogger("a.job").error("the call failed", exc_info=outcome.error)
        else:
            texts.append(repr(outcome.result))

    def get(api):
        return api.get_task_instance("etl_daily", "extract", EXECUTION_DATE)

    def patch(api):
        return api.update_task_instance("etl_daily", "extract", EXECUTION_DATE,
                                        TaskInstance(state=TaskState.FAILED))

    with RecordingServer() as server:
        server.answer(
            Reply.json(TASK_INSTANCE),  # success
            Reply.json(TASK_INSTANCE),  # PATCH success
            Reply.json({"title": "Unauthorized", "detail": "wrong password"}, status=401),
            Reply(500, b"oops"), Reply(500, b"oops"), Reply(500, b"oops"), Reply(500, b"oops"),
            Reply(307, b"", [("Location", server.url + "/elsewhere")]),
            Reply(200, b"<html>not json</html>", [("Content-Type", "text/html")]),
        )
        configuration = make_configuration(server.url)
        configuration.debug = True
        with airflow_python_sdk.ApiClient(configuration) as client:
            api = TaskInstanceApi(client)
            for call in (get, patch, get, get, get):
                run(api, call)
            texts += [repr(configuration), str(configuration), configuration.to_debug_report(),
                      repr(client), repr(client.rest_client)]
        assert server.requests[0].header("Authorization") == f"Basic {TOKEN}"  # it was sent

    for host in (f"http://127.0.0.1:{refused_port}",):  # refused
        configuration = make_configuration(host)
        configuration.debug = True
        with airflow_python_sdk.ApiClient(configuration) as client:
            run(TaskInstanceApi(client), get)
    with RecordingServer(never_answer=True) as silent:  # timed out
        configuration = make_configuration(silent.url, timeout=(0.5, 0.2))
        configuration.debug = True
        with airflow_python_sdk.ApiClient(configuration) as client:
            run(TaskInstanceApi(client), get)

    printed = capfd.readouterr()
    logs = captured_logs.getvalue()
    assert "GET http://127.0.0.1" in logs  # debug logging was on and did record the calls
    assert calls == 7 and len(texts) > 20
    for index, text in enumerate(texts):
        assert_no_secret(text, f"error or repr #{index}: {text[:80]!r}")
    assert_no_secret(logs, "the log records")
    assert_no_secret(printed.out + printed.err, "stdout/stderr")
    assert "Authorization" not in logs and "send: b'" not in printed.out


def test_a_password_inside_the_host_url_is_not_shown_in_errors(refused_port):
    host = f"http://{USERNAME}:{quote(PASSWORD, safe='')}@127.0.0.1:{refused_port}"
    configuration = make_configuration(host, password=None)
    with airflow_python_sdk.ApiClient(configuration) as client:
        outcome = call_bounded(
            lambda: TaskInstanceApi(client).get_task_instance("d", "t", EXECUTION_DATE), BOUND_S
        )

    assert isinstance(outcome.error, airflow_python_sdk.ApiConnectionError)
    assert f"{USERNAME}:***@127.0.0.1" in str(outcome.error)
    assert_no_secret(str(outcome.error), "the error")


def test_authorization_is_not_forwarded_on_a_redirect_to_another_host():
    with RecordingServer() as first, RecordingServer() as other:
        first.answer(
            Reply(307, b"", [("Location", first.url + "/api/v1/same-host")]),
            Reply(307, b"", [("Location", other.url + "/api/v1/other-host")]),
        )
        other.answer(Reply.json(TASK_INSTANCE))
        with airflow_python_sdk.ApiClient(make_configuration(first.url)) as client:
            ti = TaskInstanceApi(client).get_task_instance("etl_daily", "extract",
                                                           EXECUTION_DATE)

        assert ti.task_id == "extract"
        assert [r.path for r in first.requests][1] == "/api/v1/same-host"
        assert all(r.header("Authorization") == f"Basic {TOKEN}" for r in first.requests)
        assert other.last.path == "/api/v1/other-host"
        assert other.last.header("Authorization") is None


def answers_everything(connection: RawConnection, index: int) -> None:
    while connection.read_request() is not None:
        connection.answer(200, b'{"task_id": "extract"}', (("Content-Type", "application/json"),))


def test_basic_auth_over_plain_http_to_another_machine_warns_once():
    forget_warned_hosts()
    # The proxy lets a call to a host that is not this machine reach a local server.
    with RawServer(answers_everything) as proxy:
        configuration = make_configuration("http://airflow.example")
        configuration.proxy = proxy.url
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with airflow_python_sdk.ApiClient(configuration) as client:
                api = TaskInstanceApi(client)
                for _ in range(3):
                    api.get_task_instance("etl_daily", "extract", EXECUTION_DATE)

    ours = [w for w in caught if w.category is InsecureCredentialsWarning]
    assert len(ours) == 1
    assert "airflow.example:80" in str(ours[0].message)
    assert_no_secret(str(ours[0].message), "the warning")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_basic_auth_over_plain_http_to_this_machine_does_not_warn(host):
    forget_warned_hosts()
    with RawServer(answers_everything) as server:
        url = server.url.replace("127.0.0.1", host)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with airflow_python_sdk.ApiClient(make_configuration(url)) as client:
                TaskInstanceApi(client).get_task_instance("etl_daily", "extract", EXECUTION_DATE)

    assert [w for w in caught if w.category is InsecureCredentialsWarning] == []

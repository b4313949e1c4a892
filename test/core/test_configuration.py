"""Configuration: defaults, credentials, hosts, defaults across clients, and secrecy."""

from __future__ import annotations

import base64
import copy
import logging
import platform

import certifi
import pytest
from core.payloads import API_PREFIX, EXECUTION_DATE, TASK_INSTANCE_PAYLOAD
from support.recording_server import Reply

import airflow_python_sdk
from airflow_python_sdk._version import __version__
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

SECRET = "hunter2:Zebra-Q7"
SECRET_TOKEN = base64.b64encode(f"admin:{SECRET}".encode()).decode()
SPEC_SERVER = "http://localhost/api/v1"


def test_defaults():
    configuration = airflow_python_sdk.Configuration()

    assert configuration.host == SPEC_SERVER
    assert configuration.username is None
    assert configuration.password is None
    assert configuration.verify_ssl is True
    assert configuration.cert_file is None
    assert configuration.key_file is None
    assert configuration.assert_hostname is None
    assert configuration.proxy is None
    assert configuration.proxy_headers is None
    assert isinstance(configuration.connection_pool_maxsize, int)
    assert configuration.connection_pool_maxsize > 0
    assert configuration.debug is False
    assert isinstance(configuration.logger_format, str) and configuration.logger_format
    assert configuration.logger_file is None
    assert configuration.discard_unknown_keys is False
    assert configuration.client_side_validation is True


def test_ssl_ca_cert_defaults_to_certifis_bundle():
    assert airflow_python_sdk.Configuration().ssl_ca_cert == certifi.where()


def test_constructor_arguments():
    configuration = airflow_python_sdk.Configuration(
        host="https://airflow.example/api/v1",
        username="admin",
        password=SECRET,
        discard_unknown_keys=True,
    )

    assert configuration.host == "https://airflow.example/api/v1"
    assert (configuration.username, configuration.password) == ("admin", SECRET)
    assert configuration.discard_unknown_keys is True


def test_basic_auth_token_and_auth_settings():
    configuration = airflow_python_sdk.Configuration(username="admin", password=SECRET)

    token = configuration.get_basic_auth_token()

    assert token == f"Basic {SECRET_TOKEN}"
    assert configuration.auth_settings() == {
        "basicAuth": {"type": "basic", "in": "header", "key": "Authorization", "value": token}
    }


def test_no_auth_settings_without_credentials():
    assert "basicAuth" not in airflow_python_sdk.Configuration().auth_settings()


def test_host_settings_list_the_spec_server():
    configuration = airflow_python_sdk.Configuration()

    settings = configuration.get_host_settings()

    assert settings[0]["url"] == SPEC_SERVER
    assert configuration.get_host_from_settings(0) == SPEC_SERVER


def test_host_from_settings_without_an_index_is_the_host():
    configuration = airflow_python_sdk.Configuration(host="http://127.0.0.1:8080/api/v1")

    assert configuration.get_host_from_settings(None) == "http://127.0.0.1:8080/api/v1"


def test_host_from_settings_fills_server_variables():
    servers = [
        {
            "url": "https://{region}.airflow.example/api/v1",
            "description": "regional",
            "variables": {
                "region": {
                    "description": "where",
                    "default_value": "eu",
                    "enum_values": ["eu", "us"],
                }
            },
        }
    ]
    configuration = airflow_python_sdk.Configuration()

    assert (
        configuration.get_host_from_settings(0, servers=servers)
        == "https://eu.airflow.example/api/v1"
    )
    assert (
        configuration.get_host_from_settings(0, variables={"region": "us"}, servers=servers)
        == "https://us.airflow.example/api/v1"
    )
    with pytest.raises(ValueError):
        configuration.get_host_from_settings(0, variables={"region": "mars"}, servers=servers)


def test_an_invalid_server_index_is_refused():
    with pytest.raises(ValueError):
        airflow_python_sdk.Configuration().get_host_from_settings(3)


def test_server_index_selects_a_configured_server():
    servers = [{"url": "http://a.example/api/v1"}, {"url": "http://b.example/api/v1"}]
    configuration = airflow_python_sdk.Configuration(servers=servers, server_index=1)

    assert configuration.host == "http://b.example/api/v1"


def test_setting_host_wins_over_server_index():
    configuration = airflow_python_sdk.Configuration(server_index=0)
    configuration.host = "http://127.0.0.1:9999/api/v1"

    assert configuration.host == "http://127.0.0.1:9999/api/v1"


def test_set_default_and_get_default_copy(restore_default_configuration):
    default = airflow_python_sdk.Configuration(host="http://127.0.0.1:1234/api/v1")
    airflow_python_sdk.Configuration.set_default(default)

    first = airflow_python_sdk.Configuration.get_default_copy()
    first.host = "http://changed.example/api/v1"
    second = airflow_python_sdk.Configuration.get_default_copy()

    assert first is not default and second is not default
    assert second.host == "http://127.0.0.1:1234/api/v1"


def test_an_api_client_without_configuration_uses_the_default(
    server, restore_default_configuration
):
    airflow_python_sdk.Configuration.set_default(
        airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
    )
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with airflow_python_sdk.ApiClient() as client:
        TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert server.last.path.startswith(API_PREFIX + "/dags/feas_dag/")


def test_from_env_reads_host_and_credentials(monkeypatch):
    monkeypatch.setenv("AIRFLOW_API_HOST", "https://airflow.example/api/v1")
    monkeypatch.setenv("AIRFLOW_API_USERNAME", "job-runner")
    monkeypatch.setenv("AIRFLOW_API_PASSWORD", SECRET)

    configuration = airflow_python_sdk.Configuration.from_env()

    assert configuration.host == "https://airflow.example/api/v1"
    assert configuration.username == "job-runner"
    assert configuration.password == SECRET
    assert SECRET not in repr(configuration)


def test_from_env_drives_a_real_call(server, monkeypatch):
    monkeypatch.setenv("AIRFLOW_API_HOST", server.url + API_PREFIX)
    monkeypatch.setenv("AIRFLOW_API_USERNAME", "admin")
    monkeypatch.setenv("AIRFLOW_API_PASSWORD", SECRET)
    # The scripted server plays the draft's operation alone (no /version to ask).
    monkeypatch.setenv("AIRFLOW_API_DIALECT", "draft")
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration.from_env()) as client:
        TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert server.last.header("Authorization") == f"Basic {SECRET_TOKEN}"


def test_from_env_asks_the_server_which_it_is_and_a_configuration_keeps_the_draft(
    monkeypatch,
):
    monkeypatch.setenv("AIRFLOW_API_HOST", "https://airflow.example/api/v1")
    monkeypatch.delenv("AIRFLOW_API_DIALECT", raising=False)

    assert airflow_python_sdk.Configuration.from_env().dialect == "auto"
    assert airflow_python_sdk.Configuration(host="https://airflow.example").dialect == "draft"
    monkeypatch.setenv("AIRFLOW_API_DIALECT", "airflow2")
    assert airflow_python_sdk.Configuration.from_env().dialect == "airflow2"


def test_from_env_reaches_the_embedded_server_by_its_root_url(monkeypatch):
    from airflow_python_sdk.testing import AirflowApiServer

    with AirflowApiServer() as embedded:
        monkeypatch.setenv("AIRFLOW_API_HOST", embedded.url.replace(API_PREFIX, ""))
        monkeypatch.setenv("AIRFLOW_API_USERNAME", "admin")
        monkeypatch.setenv("AIRFLOW_API_PASSWORD", "admin")
        monkeypatch.delenv("AIRFLOW_API_DIALECT", raising=False)
        configuration = airflow_python_sdk.Configuration.from_env()
        with airflow_python_sdk.ApiClient(configuration) as client:
            api = TaskInstanceApi(client)
            first = api.get_task_instance("etl_daily", "extract", "2026-11-26T00:00:00+00:00")
            api.get_task_instance("etl_daily", "transform", "2026-11-26T00:00:00+00:00")
        paths = [entry.path for entry in embedded.request_log.entries()]

    assert first.task_id == "extract"
    # One question, at the root, then its API path (the draft's /api/v1), where it answered.
    assert paths[:3] == ["/version", "/api/v2/version", "/api/v1/version"]
    assert paths.count("/api/v1/version") == 1
    assert all(path.startswith("/api/v1/dags/etl_daily/") for path in paths[3:])
    assert len(paths) == 5


def test_repr_never_shows_the_password():
    configuration = airflow_python_sdk.Configuration(username="admin", password=SECRET)

    text = repr(configuration) + str(configuration)

    assert SECRET not in text
    assert SECRET_TOKEN not in text


def test_debug_report_names_the_versions_but_not_the_password():
    configuration = airflow_python_sdk.Configuration(username="admin", password=SECRET)

    report = configuration.to_debug_report()

    assert __version__ in report
    assert platform.python_version() in report or platform.python_version()[:4] in report
    assert SECRET not in report
    assert SECRET_TOKEN not in report


def test_deepcopy_keeps_the_settings():
    configuration = airflow_python_sdk.Configuration(
        host="http://127.0.0.1:1/api/v1", username="admin", password=SECRET
    )
    configuration.verify_ssl = False

    duplicate = copy.deepcopy(configuration)

    assert duplicate is not configuration
    assert (duplicate.host, duplicate.username, duplicate.password) == (
        "http://127.0.0.1:1/api/v1",
        "admin",
        SECRET,
    )
    assert duplicate.verify_ssl is False


def test_debug_output_never_shows_the_password(server, capfd, caplog, tmp_path):
    log_file = tmp_path / "sdk-debug.log"
    configuration = airflow_python_sdk.Configuration(
        host=server.url + API_PREFIX, username="admin", password=SECRET
    )
    configuration.logger_file = str(log_file)
    configuration.debug = True
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
    try:
        assert configuration.debug is True
        with caplog.at_level(logging.DEBUG), airflow_python_sdk.ApiClient(configuration) as client:
            TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    finally:
        configuration.debug = False  # debug switches process-wide logging on: switch it off

    captured = capfd.readouterr()
    shown = captured.out + captured.err + caplog.text
    shown += log_file.read_text(encoding="utf-8") if log_file.exists() else ""
    assert server.last.header("Authorization") == f"Basic {SECRET_TOKEN}"
    assert "feas_dag" in shown, "debug output should show the request it made"
    assert SECRET not in shown
    assert SECRET_TOKEN not in shown


def test_a_logger_file_receives_the_debug_output(server, tmp_path):
    log_file = tmp_path / "sdk.log"
    configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
    configuration.logger_file = str(log_file)
    configuration.debug = True
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
    try:
        with airflow_python_sdk.ApiClient(configuration) as client:
            TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    finally:
        configuration.debug = False

    assert configuration.logger_file == str(log_file)
    assert log_file.exists()
    assert log_file.read_text(encoding="utf-8").strip(), "debug logging wrote nothing to the file"


def test_logger_format_shapes_the_logged_lines(server, tmp_path):
    log_file = tmp_path / "formatted.log"
    configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
    configuration.logger_format = "SDKLINE|%(levelname)s|%(message)s"
    configuration.logger_file = str(log_file)
    configuration.debug = True
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
    try:
        with airflow_python_sdk.ApiClient(configuration) as client:
            TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    finally:
        configuration.debug = False

    lines = [line for line in log_file.read_text(encoding="utf-8").splitlines() if line]
    assert configuration.logger_format == "SDKLINE|%(levelname)s|%(message)s"
    assert any(line.startswith("SDKLINE|DEBUG|") for line in lines), lines[:5]

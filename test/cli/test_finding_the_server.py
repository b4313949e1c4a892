"""No dialect given: the command asks the server's /version once and finds its API root; when
requests do not reach an API, the error says what is probably wrong, in the command's words."""

from __future__ import annotations

import json

import pytest
from cli.server_calls import operation_requests, version_requests
from dialects.recorded_answers import DAG_ID, EXECUTION_DATE, recorded, token_reply
from support.command_runner import CliRunner, clean_environment
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.testing.server import AirflowApiServer

DATE = "2026-11-26T00:00:00+00:00"
HTML = "<!doctype html><html><head><title>Airflow</title></head><body>sign in</body></html>"


def root_of(server: AirflowApiServer) -> str:
    return server.url[: -len("/api/v1")]


def test_the_embedded_server_is_asked_once_at_its_api_path(airflow_api: AirflowApiServer) -> None:
    result = CliRunner(airflow_api.url, "admin", "admin")("get", "etl_daily", "extract", DATE)

    assert result.returncode == 0, result.stderr
    assert [entry.path for entry in version_requests(airflow_api)] == ["/api/v1/version"]
    assert len(operation_requests(airflow_api)) == 1


def test_the_embedded_server_works_from_its_root_url(airflow_api: AirflowApiServer) -> None:
    runner = CliRunner(root_of(airflow_api) + "/", "admin", "admin")

    listed = runner("list", "--dag", "etl_daily", "--json")
    single = runner("get", "etl_daily", "extract", DATE, "--json")

    assert listed.returncode == 0, listed.stderr
    assert {json.loads(line)["task_id"] for line in listed.stdout.splitlines()} == {
        "extract", "transform", "load"}
    assert single.returncode == 0, single.stderr
    assert json.loads(single.stdout)["task_id"] == "extract"
    # Each run asks where the API is (its root, then /api/v2, then /api/v1, which answers) and
    # then sends every operation there.
    assert all(entry.path.startswith("/api/v1/dags/") for entry in operation_requests(airflow_api))


def test_debug_says_what_was_found(airflow_api: AirflowApiServer) -> None:
    runner = CliRunner(root_of(airflow_api), "admin", "admin")

    # In a process of its own: --debug sets up logging, which pytest's own handler shadows here.
    result = runner.in_a_process("get", "etl_daily", "extract", DATE, "--debug")

    assert result.returncode == 0, result.stderr
    assert (f"a server of the draft spec answered at {airflow_api.url}/version: dialect draft, "
            f"API root {airflow_api.url}") in result.stderr


def _airflow_2(request: RecordedRequest) -> Reply:
    """Airflow 2.10.5 as it answers: its API under /api/v1, its web UI's login page elsewhere."""
    if request.path == "/api/v1/version":
        return recorded("v2_version.json")
    if request.path == f"/api/v1/dags/{DAG_ID}/dagRuns":
        return recorded("v2_dagruns_by_date.json")
    if request.path.startswith(f"/api/v1/dags/{DAG_ID}/dagRuns/sched_run_1126/taskInstances/"):
        if request.path.endswith("/echo_ok"):
            return recorded("v2_ti_echo_ok.json")
        return recorded("v2_err_404_missing_ti.json", status=404)
    if request.path.startswith("/api/v1/"):
        return recorded("v2_draft_path.json", status=404)
    return Reply.text(HTML, content_type="text/html; charset=utf-8")


def _airflow_3(request: RecordedRequest) -> Reply:
    """Airflow 3.3.2 as it answers: its API under /api/v2, its web UI's page elsewhere."""
    if request.path == "/api/v2/version":
        return recorded("v3_version_noauth.json")
    if request.path == "/auth/token":
        return token_reply()
    if request.path == f"/api/v2/dags/{DAG_ID}/dagRuns":
        return recorded("v3_dagruns_by_date.json")
    if request.path.endswith("/taskInstances/echo_ok"):
        return recorded("v3_ti_echo_ok.json")
    if request.path.startswith("/api/"):
        return recorded("v3_draft_path.json", status=404)
    return Reply.text(HTML, content_type="text/html; charset=utf-8")


@pytest.mark.parametrize(("play", "path"), [(_airflow_2, ""), (_airflow_2, "/api/v1"),
                                            (_airflow_3, ""), (_airflow_3, "/api/v2")])
def test_a_real_airflow_is_found_from_its_root_url_or_its_api_path(play, path: str) -> None:
    with RecordingServer(handler=play) as server:
        runner = CliRunner(server.url + path, "admin", "admin-secret")

        result = runner("get", DAG_ID, "echo_ok", EXECUTION_DATE, "--json")
        asked = [request.path for request in server.requests if request.path.endswith("version")]

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["task_id"] == "echo_ok"
    assert sum(request_path in ("/api/v1/version", "/api/v2/version")
               for request_path in asked) >= 1
    assert len(asked) <= 3


def test_a_refusal_that_says_nothing_gets_a_hint_naming_the_user() -> None:
    def refusing(request: RecordedRequest) -> Reply:
        if request.path == "/api/v1/version":
            return recorded("v2_version.json")
        return recorded("v2_err_401_wrong_creds.json", status=401)  # Airflow 2: no detail

    with RecordingServer(handler=refusing) as server:
        result = CliRunner(server.url, "admin", "wrong")("list", "--state", "failed")

    assert result.returncode == exit_codes.AUTH_FAILED
    assert result.stderr.splitlines() == [
        "airflow-sdk: error: 401 Unauthorized",
        "airflow-sdk: hint: the server refused user 'admin': check --user (AIRFLOW_API_USERNAME) "
        "and AIRFLOW_API_PASSWORD",
    ]
    assert "wrong" not in result.stderr


def test_a_missing_task_instance_on_a_found_server_has_no_hint() -> None:
    with RecordingServer(handler=_airflow_2) as server:
        result = CliRunner(server.url, "admin", "admin-secret")(
            "get", DAG_ID, "no_such_task", EXECUTION_DATE)

    assert result.returncode == exit_codes.NOT_FOUND
    assert "Task instance not found" in result.stderr
    assert "hint" not in result.stderr


@pytest.mark.parametrize(("play", "path"), [(_airflow_2, "/api/v1"), (_airflow_3, "/api/v2"),
                                            (_airflow_3, "")],
                         ids=["airflow2-404", "airflow3-404", "airflow3-web-page"])
def test_the_draft_dialect_against_a_real_airflow_says_to_leave_it_out(play, path: str) -> None:
    with RecordingServer(handler=play) as server:
        url = server.url
        runner = CliRunner(url + path, "admin", "admin-secret", dialect="draft")

        result = runner("get", DAG_ID, "echo_ok", EXECUTION_DATE)

    assert result.returncode in (exit_codes.NOT_FOUND, exit_codes.API_ERROR)
    error, hint = result.stderr.splitlines()
    assert error.startswith("airflow-sdk: error: ")
    assert hint == (
        f"airflow-sdk: hint: the draft dialect (--dialect draft or AIRFLOW_API_DIALECT=draft) "
        f"sends the draft spec's paths, which {url + path} does not serve: for Apache "
        "Airflow, leave the dialect out (auto asks the server which it is); else check the API "
        "path and the port in --host")


@pytest.mark.parametrize("answer", [
    Reply.json({"detail": "Not Found"}, status=404),
    Reply.text("404 page not found", status=404),
    Reply.text(HTML, content_type="text/html"),
], ids=["starlette-404", "proxy-404", "web-page"])
def test_no_api_anywhere_names_where_it_was_looked_for(answer: Reply) -> None:
    with RecordingServer(handler=lambda request: answer) as server:
        base = server.url + "/airflow"
        result = CliRunner(base, "admin", "admin")("list", "--dag", "etl_daily")

    assert result.returncode in (exit_codes.NOT_FOUND, exit_codes.API_ERROR)
    assert "no DAG" not in result.stderr  # not a DAG's fault
    hint = result.stderr.splitlines()[-1]
    assert hint == (
        f"airflow-sdk: hint: no Airflow REST API was found at {base}: nothing answered "
        f"{base}/version, {base}/api/v2/version, {base}/api/v1/version. Check --host "
        "(AIRFLOW_API_HOST): the server's root URL (e.g. http://localhost:8080) or its API "
        "path (.../api/v1 for Airflow 2, .../api/v2 for Airflow 3), and its port (Airflow's "
        "API server, 8080 by default)")


def test_a_dialect_that_does_not_match_says_to_leave_it_out() -> None:
    with RecordingServer(handler=_airflow_3) as server:
        url = server.url
        result = CliRunner(url, "admin", "admin-secret", dialect="airflow2")(
            "get", DAG_ID, "echo_ok", EXECUTION_DATE)

    assert result.returncode == exit_codes.NOT_FOUND
    hint = result.stderr.splitlines()[-1]
    assert hint.startswith(f"airflow-sdk: hint: no Airflow 2 REST API answered at {url}")
    assert "leave out --dialect" in hint


def test_a_host_with_the_other_releases_api_path_says_which_to_give() -> None:
    with RecordingServer(handler=_airflow_3) as server:
        url = server.url
        result = CliRunner(url + "/api/v1", "admin", "admin-secret")(
            "get", DAG_ID, "echo_ok", EXECUTION_DATE)

    assert result.returncode == exit_codes.USAGE
    assert result.stderr == (
        f"airflow-sdk: error: The server at {url} runs Airflow 3.3.2, which serves its "
        f"REST API under /api/v2, but the host ends with /api/v1: set --host (or "
        f"AIRFLOW_API_HOST) to {url}/api/v2 or to the server's root URL {url}\n")


def test_a_named_dialect_and_the_other_api_path_are_refused_before_any_request(
    airflow_api: AirflowApiServer,
) -> None:
    runner = CliRunner(airflow_api.url, "admin", "admin", dialect="airflow3")

    result = runner("get", "etl_daily", "extract", DATE)

    root = root_of(airflow_api)
    assert result.returncode == exit_codes.USAGE
    assert result.stderr == (
        "airflow-sdk: error: AIRFLOW_API_HOST ends with /api/v1, but Airflow 3 "
        "(AIRFLOW_API_DIALECT airflow3) serves its REST API under /api/v2: give "
        f"{root}/api/v2 or the root URL {root}, or leave out AIRFLOW_API_DIALECT (auto asks the "
        "server which it is)\n")
    assert len(airflow_api.request_log) == 0


@pytest.mark.parametrize(("given", "source"), [(["--dialect", "airflow9"], "--dialect"),
                                               ([], "AIRFLOW_API_DIALECT")])
def test_an_unknown_dialect_is_named_as_the_shell_gave_it(
    airflow_api: AirflowApiServer, given: list[str], source: str,
) -> None:
    runner = CliRunner(airflow_api.url, "admin", "admin", dialect=None if given else "airflow9")

    result = runner("get", "etl_daily", "extract", DATE, *given)

    assert result.returncode == exit_codes.USAGE
    assert result.stderr == (
        f"airflow-sdk: error: {source} 'airflow9' is not a dialect: use one of draft, airflow2, "
        "airflow3, auto, or leave it out (auto: the server's /version says which it is)\n")
    assert "Configuration" not in result.stderr
    assert len(airflow_api.request_log) == 0


@pytest.mark.parametrize(("host", "said"), [
    ("localhost:8080", "'localhost:8080' has no scheme: write it as 'http://localhost:8080'"),
    ("ftp://airflow.example", "'ftp://airflow.example' is not an http:// or https:// URL"),
    ("admin:pw@airflow.example", "'admin:***@airflow.example' has no scheme"),
])
def test_a_host_that_is_not_an_http_url_is_refused_before_any_request(host: str,
                                                                       said: str) -> None:
    runner = CliRunner(None, "admin", "admin")

    flag = runner("get", "etl_daily", "extract", DATE, "--host", host)
    variable = runner("get", "etl_daily", "extract", DATE,
                      env=clean_environment(AIRFLOW_API_HOST=host, AIRFLOW_API_USERNAME="admin",
                                            AIRFLOW_API_PASSWORD="admin"))

    assert (flag.returncode, variable.returncode) == (exit_codes.USAGE, exit_codes.USAGE)
    assert flag.stderr.startswith(f"airflow-sdk: error: --host {said}")
    assert variable.stderr.startswith(f"airflow-sdk: error: AIRFLOW_API_HOST {said}")
    assert "pw@" not in flag.stderr + variable.stderr

"""The harness gives real Airflow servers that answer as the recorded answers say.

Plain urllib3, not the SDK: these tests prove the servers, so the SDK's own tests against them
mean something. The same checks run on Airflow 2 and 3; where the two differ, the check says so.
"""

from __future__ import annotations

import json
from typing import Any, Optional

import pytest
import urllib3
from support.paths import RECORDED_ANSWERS

from integration.real_airflow.maintenance_run import (
    DAG_ID,
    FAILING_TASK,
    LOGICAL_DATE,
    RUN_ID,
    SUCCEEDING_TASK,
    AirflowServer,
)

# Every request is bounded; a hung server fails the test instead of stalling the run.
TIMEOUT = urllib3.Timeout(connect=5.0, read=30.0)
LAST_ECHOED_LINE = "line 20 of output from echo_ok"


class Api:
    """Requests to one server, authorized as Airflow expects: basic auth (2) or a JWT (3)."""

    def __init__(self, server: AirflowServer, username: str, password: str) -> None:
        self.server = server
        self.http = urllib3.PoolManager(timeout=TIMEOUT, retries=False)
        if server.target.major == 2:
            self.auth = urllib3.make_headers(basic_auth=f"{username}:{password}")
        else:
            answer = self.http.request(
                "POST", server.token_url, json={"username": username, "password": password}
            )
            assert answer.status == 201, answer.data
            self.auth = {"Authorization": f"Bearer {answer.json()['access_token']}"}

    def request(
        self,
        method: str,
        path: str,
        body: Optional[dict[str, Any]] = None,
        accept: str = "application/json",
        authorized: bool = True,
    ) -> urllib3.BaseHTTPResponse:
        headers = {"Accept": accept, **(self.auth if authorized else {})}
        return self.http.request(method, self.server.base_url + path, json=body, headers=headers)

    def json(self, path: str) -> Any:
        answer = self.request("GET", path)
        assert answer.status == 200, (path, answer.status, answer.data[:500])
        return answer.json()


def ti_path(task_id: str) -> str:
    return f"/dags/{DAG_ID}/dagRuns/{RUN_ID}/taskInstances/{task_id}"


def recorded(name: str) -> Any:
    return json.loads((RECORDED_ANSWERS / name).read_text())


def log_text(api: Api, task_id: str, try_number: int = 1) -> tuple[str, Any]:
    """The log of one try as one string, and the continuation token that came with it."""
    answer = api.json(f"{ti_path(task_id)}/logs/{try_number}?full_content=true")
    content = answer["content"]
    if api.server.target.major == 2:
        # Airflow 2: the text of a Python list of (host, text) tuples.
        assert isinstance(content, str)
        return content, answer["continuation_token"]
    # Airflow 3: structured entries, the log's text in their "event" fields.
    assert isinstance(content, list)
    return "\n".join(str(entry.get("event", "")) for entry in content), answer["continuation_token"]


class ServerChecks:
    """Checks for any server; subclasses provide the `api` and `server` fixtures."""

    major: int

    def test_version_endpoint_answers_without_credentials(self, api: Api) -> None:
        answer = api.request("GET", "/version", authorized=False)
        assert answer.status == 200
        assert answer.json()["version"] == api.server.version

    def test_health_reports_a_healthy_metadatabase(self, api: Api) -> None:
        answer = api.http.request("GET", api.server.root_url + api.server.target.health_path)
        assert answer.status == 200
        assert answer.json()["metadatabase"]["status"] == "healthy"

    def test_the_run_is_found_by_its_logical_date(self, api: Api) -> None:
        # A "+" in a query string means a space: it must be sent as %2B.
        date = LOGICAL_DATE.replace("+", "%2B")
        field = "execution_date" if self.major == 2 else "logical_date"
        runs = api.json(f"/dags/{DAG_ID}/dagRuns?{field}_gte={date}&{field}_lte={date}")
        assert [run["dag_run_id"] for run in runs["dag_runs"]] == [RUN_ID]
        assert runs["dag_runs"][0]["state"] == "failed"

    def test_echo_ok_succeeded_in_one_try(self, api: Api) -> None:
        ti = api.json(ti_path(SUCCEEDING_TASK))
        assert (ti["task_id"], ti["dag_run_id"], ti["state"]) == (
            SUCCEEDING_TASK,
            RUN_ID,
            "success",
        )
        assert ti["try_number"] == 1

    def test_fail_task_failed_without_retries(self, api: Api) -> None:
        ti = api.json(ti_path(FAILING_TASK))
        assert (ti["task_id"], ti["state"], ti["try_number"], ti["max_tries"]) == (
            FAILING_TASK,
            "failed",
            1,
            0,
        )

    def test_echo_ok_log_holds_every_echoed_line(self, api: Api) -> None:
        text, _ = log_text(api, SUCCEEDING_TASK)
        for number in range(1, 21):
            assert f"line {number} of output from echo_ok" in text

    def test_fail_task_log_shows_the_failure(self, api: Api) -> None:
        text, _ = log_text(api, FAILING_TASK)
        assert "about to fail" in text
        # Airflow 2 says "non-zero exit code 3", Airflow 3 "exited with return code 3".
        assert "code 3" in text

    def test_a_bash_task_has_no_extra_links(self, api: Api) -> None:
        links = api.json(f"{ti_path(SUCCEEDING_TASK)}/links")
        expected = {} if self.major == 2 else {"extra_links": {}, "total_entries": 0}
        assert links == expected

    def test_a_request_without_credentials_is_refused(self, api: Api) -> None:
        answer = api.request("GET", ti_path(SUCCEEDING_TASK), authorized=False)
        assert answer.status == 401

    def test_the_read_only_user_may_read_but_not_change_a_task_instance(
        self, server: AirflowServer
    ) -> None:
        reader = Api(server, server.reader.username, server.reader.password)
        assert reader.json(ti_path(FAILING_TASK))["state"] == "failed"
        change: dict[str, Any] = {"new_state": "success"}
        if self.major == 2:
            change["dry_run"] = False  # Airflow 2 only pretends without it
        answer = reader.request("PATCH", ti_path(FAILING_TASK), change)
        assert answer.status == 403
        assert reader.json(ti_path(FAILING_TASK))["state"] == "failed"

    def test_live_answers_have_the_recorded_shapes(self, api: Api) -> None:
        prefix = f"v{self.major}_"
        live_ti = api.json(ti_path(SUCCEEDING_TASK))
        assert sorted(live_ti) == sorted(recorded(prefix + "ti_echo_ok.json"))
        live_version = api.json("/version")
        assert sorted(live_version) == sorted(recorded(prefix + "version.json"))
        date = LOGICAL_DATE.replace("+", "%2B")
        field = "execution_date" if self.major == 2 else "logical_date"
        live_run = api.json(f"/dags/{DAG_ID}/dagRuns?{field}_gte={date}&{field}_lte={date}")
        recorded_run = recorded(prefix + "dagruns_by_date.json")
        assert sorted(live_run) == sorted(recorded_run)
        assert sorted(live_run["dag_runs"][0]) == sorted(recorded_run["dag_runs"][0])
        live_log = api.json(f"{ti_path(SUCCEEDING_TASK)}/logs/1?full_content=true")
        assert sorted(live_log) == sorted(recorded(prefix + "logs_echo_ok_json.json"))


class TestAirflow2(ServerChecks):
    major = 2

    @pytest.fixture
    def server(self, airflow2_server: AirflowServer) -> AirflowServer:
        return airflow2_server

    @pytest.fixture
    def api(self, airflow2_server: AirflowServer) -> Api:
        return Api(airflow2_server, airflow2_server.admin.username, airflow2_server.admin.password)

    def test_plain_text_log_holds_the_echoed_lines(self, api: Api) -> None:
        answer = api.request("GET", f"{ti_path(SUCCEEDING_TASK)}/logs/1", accept="text/plain")
        assert answer.status == 200
        assert LAST_ECHOED_LINE in answer.data.decode()

    def test_the_continuation_token_of_a_finished_log_gives_nothing_more(self, api: Api) -> None:
        text, token = log_text(api, SUCCEEDING_TASK)
        assert LAST_ECHOED_LINE in text
        assert isinstance(token, str) and token  # returned even at the end of the log
        more = api.json(f"{ti_path(SUCCEEDING_TASK)}/logs/1?token={token}")
        assert "line " not in more["content"]

    def test_there_is_no_delete_for_a_task_instance(self, api: Api) -> None:
        # Read-only check: a 405 means the route exists for other methods only.
        answer = api.request("DELETE", ti_path(FAILING_TASK))
        assert answer.status == 405
        assert api.json(ti_path(FAILING_TASK))["state"] == "failed"


class TestAirflow3(ServerChecks):
    major = 3

    @pytest.fixture
    def server(self, airflow3_server: AirflowServer) -> AirflowServer:
        return airflow3_server

    @pytest.fixture
    def api(self, airflow3_server: AirflowServer) -> Api:
        return Api(airflow3_server, airflow3_server.admin.username, airflow3_server.admin.password)

    def test_basic_auth_is_refused(self, airflow3_server: AirflowServer) -> None:
        http = urllib3.PoolManager(timeout=TIMEOUT, retries=False)
        headers = urllib3.make_headers(basic_auth="admin:admin")
        answer = http.request(
            "GET", airflow3_server.base_url + ti_path(SUCCEEDING_TASK), headers=headers
        )
        assert answer.status == 401

    def test_a_wrong_password_gets_no_token(self, airflow3_server: AirflowServer) -> None:
        http = urllib3.PoolManager(timeout=TIMEOUT, retries=False)
        answer = http.request(
            "POST", airflow3_server.token_url, json={"username": "admin", "password": "wrong"}
        )
        assert answer.status == 401

    def test_a_finished_log_has_no_continuation_token(self, api: Api) -> None:
        text, token = log_text(api, SUCCEEDING_TASK)
        assert LAST_ECHOED_LINE in text
        assert token is None

    def test_plain_text_logs_are_not_offered(self, api: Api) -> None:
        answer = api.request("GET", f"{ti_path(SUCCEEDING_TASK)}/logs/1", accept="text/plain")
        assert answer.status == 406

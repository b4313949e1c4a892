"""The same maintenance job, through the same TaskInstanceApi, on real Airflow 2 and Airflow 3.

Each server has finished one run of `sdk_maintenance` (execution date 2026-11-26) in which
`echo_ok` succeeded and `fail_task` failed. The job: get both task instances, read both logs to
their end (twice: the same text each time), list the links, set the failed one to success and read
it back (and once more: setting the state it already has succeeds), delete a task instance
(Airflow 3) or get the clear refusal (Airflow 2), and the errors a job meets: a wrong password, a
missing run, a missing task.

The servers are shared with the harness's own checks, so whatever a test changes it puts back:
fail_task is failed again afterwards, and the deletion happens in a run made for it, removed
afterwards.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from airflow_python_sdk import (
    ApiClient,
    ApiValueError,
    Configuration,
    ForbiddenException,
    NotFoundException,
    UnauthorizedException,
)
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.dialects import UnsupportedOperationException
from airflow_python_sdk.log_follow import follow_log_chunks
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState
from airflow_python_sdk.testing.real_airflow.plain_http import (
    airflow3_token,
    basic_auth,
    bearer,
    request_json,
)
from integration.real_airflow.maintenance_run import AirflowServer

EXECUTION_DATE = dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
# A date of no run at all, and the date of the run the deletion test makes for itself.
MISSING_RUN_DATE = "2030-01-01T00:00:00+00:00"
SPARE_RUN_DATE = "2026-11-20T00:00:00+00:00"
SPARE_RUN_ID = "sdk_scenario_spare_run"
LAST_ECHOED_LINE = "line 20 of output from echo_ok"
# A finished task's log ends within two answers; more means the end is never recognised.
MAX_LOG_CHUNKS = 10
REQUEST_TIMEOUT = (10.0, 60.0)


@dataclass(frozen=True)
class Target:
    server: AirflowServer
    dialect: str

    def configuration(self, password: str = "", dialect: str = "") -> Configuration:
        admin = self.server.admin
        return Configuration(
            host=self.server.base_url,
            username=admin.username,
            password=password or admin.password,
            dialect=dialect or self.dialect,
            timeout=REQUEST_TIMEOUT,
        )

    def admin_authorization(self) -> str:
        admin = self.server.admin
        if self.server.target.major == 2:
            return basic_auth(admin.username, admin.password)
        return bearer(airflow3_token(self.server.root_url, admin.username, admin.password))


def read_log(api: TaskInstanceApi, task_id: str) -> tuple[str, int]:
    """The whole log of try 1 and how many answers it took; fails if it never ends."""
    texts = []
    for count, chunk in enumerate(
        follow_log_chunks(api, "sdk_maintenance", task_id, EXECUTION_DATE, 1,
                          poll_interval=0.2, request_timeout=REQUEST_TIMEOUT),
        start=1,
    ):
        texts.append(chunk.content)
        assert count <= MAX_LOG_CHUNKS, f"the log of {task_id} never ended"
    return "".join(texts), count


class ScenarioSteps:
    """The job's steps; each subclass runs them on one server."""

    @pytest.fixture
    def api(self, target: Target) -> Iterator[TaskInstanceApi]:
        with ApiClient(target.configuration()) as client:
            yield TaskInstanceApi(client)

    def test_both_task_instances_read_as_the_spec_models(self, api: TaskInstanceApi,
                                                         target: Target) -> None:
        ok = api.get_task_instance("sdk_maintenance", "echo_ok", EXECUTION_DATE)
        failed = api.get_task_instance("sdk_maintenance", "fail_task",
                                       "2026-11-26T00:00:00+00:00")

        for ti, task_id, state in ((ok, "echo_ok", TaskState.SUCCESS),
                                   (failed, "fail_task", TaskState.FAILED)):
            assert isinstance(ti, TaskInstance)
            assert (ti.dag_id, ti.task_id, ti.state) == ("sdk_maintenance", task_id, state)
            assert ti.execution_date == EXECUTION_DATE
            assert ti.try_number == 1
            assert isinstance(ti.queued_dttm, dt.datetime)
            assert ti.start_date is not None and ti.end_date is not None
            assert ti.dag_run_id == target.server.run_id  # a field the spec does not know
        print(f"\n{target.dialect}: echo_ok {ok.state}, fail_task {failed.state}, "
              f"run {ok.dag_run_id}")

    def test_both_logs_read_to_their_end_give_the_same_text_twice(
            self, api: TaskInstanceApi, target: Target) -> None:
        ok_text, ok_answers = read_log(api, "echo_ok")
        failed_text, failed_answers = read_log(api, "fail_task")

        for number in range(1, 21):
            assert f"line {number} of output from echo_ok\n" in ok_text + "\n"
        assert "about to fail" in failed_text
        assert ok_text.count(LAST_ECHOED_LINE) == 1
        assert not ok_text.startswith(("[('", '[("'))  # plain text, not a Python literal
        assert read_log(api, "echo_ok")[0] == ok_text
        assert read_log(api, "fail_task")[0] == failed_text
        print(f"\n{target.dialect}: echo_ok log {len(ok_text)} chars in {ok_answers} answers, "
              f"fail_task log {len(failed_text)} chars in {failed_answers} answers")

    def test_links_of_a_bash_task_are_an_empty_collection(self, api: TaskInstanceApi) -> None:
        links = api.get_extra_links("sdk_maintenance", "echo_ok", EXECUTION_DATE)

        assert isinstance(links, ExtraLinkCollection)
        assert links.extra_links == []

    def test_the_failed_task_set_to_success_reads_back_as_success(
            self, api: TaskInstanceApi, target: Target) -> None:
        try:
            changed = api.update_task_instance(
                "sdk_maintenance", "fail_task", EXECUTION_DATE,
                TaskInstance(state=TaskState.SUCCESS), update_mask=["state"],
            )
            again = api.update_task_instance(
                "sdk_maintenance", "fail_task", EXECUTION_DATE, TaskInstance(state="success")
            )
            read_back = api.get_task_instance("sdk_maintenance", "fail_task", EXECUTION_DATE)
        finally:
            restored = api.update_task_instance(
                "sdk_maintenance", "fail_task", EXECUTION_DATE, TaskInstance(state="failed")
            )
        assert changed.state == TaskState.SUCCESS
        assert again.state == TaskState.SUCCESS  # the state it already had: still a success
        assert read_back.state == TaskState.SUCCESS
        assert restored.state == TaskState.FAILED
        print(f"\n{target.dialect}: fail_task failed -> {changed.state} -> {again.state} "
              f"(same again) -> read back {read_back.state}; put back to {restored.state}")

    def test_changing_anything_but_the_state_is_refused_before_sending(
            self, api: TaskInstanceApi) -> None:
        with pytest.raises(ApiValueError, match="can only change a task instance's state"):
            api.update_task_instance("sdk_maintenance", "fail_task", EXECUTION_DATE,
                                     TaskInstance(state="success", pool="other_pool"))
        assert api.get_task_instance("sdk_maintenance", "fail_task",
                                     EXECUTION_DATE).state == TaskState.FAILED

    def test_a_read_only_user_may_read_but_not_change(self, target: Target) -> None:
        reader = target.server.reader
        configuration = target.configuration()
        configuration.username, configuration.password = reader.username, reader.password
        with ApiClient(configuration) as client:
            api = TaskInstanceApi(client)
            assert api.get_task_instance("sdk_maintenance", "fail_task",
                                         EXECUTION_DATE).state == TaskState.FAILED
            with pytest.raises(ForbiddenException) as caught:
                api.update_task_instance("sdk_maintenance", "fail_task", EXECUTION_DATE,
                                         TaskInstance(state="success"))
        assert caught.value.error is not None and caught.value.error.status == 403
        print(f"\n{target.dialect}: read-only user changing a state -> {caught.value}")

    def test_a_wrong_password_is_an_unauthorized_error(self, target: Target) -> None:
        with ApiClient(target.configuration(password="not-the-password")) as client:
            api = TaskInstanceApi(client)
            with pytest.raises(UnauthorizedException) as caught:
                api.get_task_instance("sdk_maintenance", "echo_ok", EXECUTION_DATE)
        assert caught.value.status == 401
        assert caught.value.error is not None and caught.value.error.status == 401
        assert "not-the-password" not in str(caught.value)
        print(f"\n{target.dialect}: wrong password -> {caught.value}")

    def test_a_missing_run_is_not_found_and_says_so(self, api: TaskInstanceApi,
                                                    target: Target) -> None:
        with pytest.raises(NotFoundException) as caught:
            api.get_task_instance("sdk_maintenance", "echo_ok", MISSING_RUN_DATE)
        assert "has no run with execution date 2030-01-01" in str(caught.value)
        assert caught.value.error is not None
        assert caught.value.error.title == "DAG run not found"
        print(f"\n{target.dialect}: missing run -> {caught.value}")

    def test_a_missing_task_is_not_found_and_says_which(self, api: TaskInstanceApi,
                                                        target: Target) -> None:
        with pytest.raises(NotFoundException) as caught:
            api.get_task_instance("sdk_maintenance", "no_such_task", EXECUTION_DATE)
        assert "task instance 'no_such_task'" in str(caught.value)
        assert caught.value.error is not None and caught.value.error.status == 404
        print(f"\n{target.dialect}: missing task -> {caught.value}")

    def test_auto_detects_the_server_and_async_calls_work(self, target: Target) -> None:
        with ApiClient(target.configuration(dialect="auto")) as client:
            api = TaskInstanceApi(client)
            pending = api.get_task_instance("sdk_maintenance", "echo_ok", EXECUTION_DATE,
                                            async_req=True)
            ti = pending.get(timeout=60)
            detected = getattr(client.dialect(), "server_version", None)
        assert ti.state == TaskState.SUCCESS
        assert detected == target.server.version

    def test_auto_finds_the_api_from_the_servers_root_url(self, target: Target) -> None:
        configuration = target.configuration(dialect="auto")
        configuration.host = target.server.root_url
        with ApiClient(configuration) as client:
            ti = TaskInstanceApi(client).get_task_instance("sdk_maintenance", "echo_ok",
                                                           EXECUTION_DATE)
            detected = getattr(client.dialect(), "server_version", None)
        assert (ti.task_id, detected) == ("echo_ok", target.server.version)

    def test_the_environment_names_the_dialect(self, target: Target) -> None:
        admin = target.server.admin
        environment = {
            "AIRFLOW_API_HOST": target.server.base_url,
            "AIRFLOW_API_USERNAME": admin.username,
            "AIRFLOW_API_PASSWORD": admin.password,
            "AIRFLOW_API_DIALECT": target.dialect,
        }
        with ApiClient(Configuration.from_env(environment)) as client:
            ti = TaskInstanceApi(client).get_task_instance("sdk_maintenance", "fail_task",
                                                           EXECUTION_DATE)
        assert ti.state == TaskState.FAILED


class TestOnAirflow2(ScenarioSteps):
    @pytest.fixture
    def target(self, airflow2_server: AirflowServer) -> Target:
        return Target(airflow2_server, "airflow2")

    def test_delete_is_refused_before_anything_is_sent(self, api: TaskInstanceApi) -> None:
        with pytest.raises(UnsupportedOperationException) as caught:
            api.delete_task_instance("sdk_maintenance", "echo_ok", EXECUTION_DATE)
        assert "Airflow 2" in str(caught.value) and "no endpoint" in str(caught.value)
        assert caught.value.status == 405
        assert api.get_task_instance("sdk_maintenance", "echo_ok",
                                     EXECUTION_DATE).state == TaskState.SUCCESS
        print(f"\nairflow2: delete -> {caught.value}")


class TestOnAirflow3(ScenarioSteps):
    @pytest.fixture
    def target(self, airflow3_server: AirflowServer) -> Target:
        return Target(airflow3_server, "airflow3")

    @pytest.fixture
    def spare_run(self, target: Target) -> Iterator[str]:
        """A run of its own for the deletion (never started: the scheduler is stopped)."""
        auth = target.admin_authorization()
        runs = f"{target.server.base_url}/dags/sdk_maintenance/dagRuns"
        status, answer = request_json(
            "POST", runs, {"dag_run_id": SPARE_RUN_ID, "logical_date": SPARE_RUN_DATE}, auth
        )
        assert status == 200, answer
        try:
            yield SPARE_RUN_DATE
        finally:
            status, answer = request_json("DELETE", f"{runs}/{SPARE_RUN_ID}", None, auth)
            assert status in (200, 204), answer

    def test_delete_removes_the_task_instance(self, api: TaskInstanceApi,
                                              spare_run: str) -> None:
        before = api.get_task_instance("sdk_maintenance", "echo_ok", spare_run)
        assert before.dag_run_id == SPARE_RUN_ID

        assert api.delete_task_instance("sdk_maintenance", "echo_ok", spare_run) is None

        with pytest.raises(NotFoundException, match="task instance 'echo_ok'"):
            api.get_task_instance("sdk_maintenance", "echo_ok", spare_run)
        assert api.get_task_instance("sdk_maintenance", "fail_task",
                                     spare_run).dag_run_id == SPARE_RUN_ID
        print("\nairflow3: delete echo_ok of the spare run -> gone; fail_task still there")

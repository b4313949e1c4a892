"""Property-based proof that the server answers as openapi.yaml says, with schemathesis.

Each operation gets generated requests, valid and invalid, against a server holding the sample
data; every answer must be one the spec allows (status, media type, schema, headers). Hypothesis
runs derandomized with no example database, so the run is bounded and the same every time.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import hypothesis
import pytest
import yaml
from hypothesis import HealthCheck

import airflow_python_sdk.testing
from airflow_python_sdk.testing.server import AirflowApiServer

# schemathesis's releases for Python 3.9 (4.4 at most) predate the generation modes and the auth
# configuration used here; the dev extra installs it from Python 3.10 on, where this runs.
schemathesis = pytest.importorskip(
    "schemathesis", minversion="4.30",
)
from schemathesis import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

SPEC = Path(airflow_python_sdk.testing.__file__).resolve().parents[2] / "openapi.yaml"


SCHEMA = schemathesis.openapi.from_dict(yaml.safe_load(SPEC.read_text(encoding="utf-8")))
SCHEMA.config.update(basic_auth=("admin", "admin"))
OPERATIONS = [
    (operation.path, operation.method.upper())
    for operation in (result.ok() for result in SCHEMA.get_all_operations())
]
# The spec's ids for an instance the sample data holds, so that generated requests also reach
# existing task instances, not only missing ones.
EXISTING = {
    "dag_id": "etl_daily",
    "task_id": "transform",
    "execution_date": "2026-11-26T00:00:00+00:00",
}


@pytest.fixture(scope="module")
def conformance_server() -> Iterator[AirflowApiServer]:
    with AirflowApiServer() as server:
        yield server


TASK_INSTANCE = "/dags/{dag_id}/taskInstances/{task_id}/{execution_date}"


def test_the_spec_lists_the_task_instance_family_and_the_dag_operations() -> None:
    assert sorted(OPERATIONS) == sorted(
        [
            (TASK_INSTANCE, "GET"),
            (TASK_INSTANCE, "PATCH"),
            (TASK_INSTANCE, "DELETE"),
            (f"{TASK_INSTANCE}/links", "GET"),
            (f"{TASK_INSTANCE}/logs/{{task_try_number}}", "GET"),
            (f"{TASK_INSTANCE}/tries", "GET"),
            (f"{TASK_INSTANCE}/xcomValues", "GET"),
            (f"{TASK_INSTANCE}/xcomValues/{{key}}", "GET"),
            ("/dags/{dag_id}/taskInstances", "GET"),
            ("/dags/{dag_id}/clearTaskInstances", "POST"),
            ("/dags/{dag_id}/updateTaskInstancesState", "POST"),
            ("/dags/{dag_id}/dagRuns", "GET"),
            ("/dags/{dag_id}/dagRuns/{dag_run_id}", "GET"),
            # The DAG and DAG run operations (issue 19).
            ("/dags", "GET"),
            ("/dags", "PATCH"),
            ("/dags/{dag_id}", "GET"),
            ("/dags/{dag_id}", "PATCH"),
            ("/dags/{dag_id}/dagRuns", "POST"),
            ("/dags/{dag_id}/dagRuns/{dag_run_id}", "PATCH"),
            ("/dags/{dag_id}/dagRuns/{dag_run_id}", "DELETE"),
            ("/dags/{dag_id}/dagRuns/{dag_run_id}/clear", "POST"),
            # The bulk change of a run's task instances (issue 23).
            ("/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances", "PATCH"),
        ]
    )


# Schema-valid is not always acceptable, and Airflow answers these with 400: PATCH refuses masks
# naming unknown fields and bodies contradicting the path, getLogs refuses forged tokens, the
# lists refuse unknown order_by fields and states (TaskState is nullable, a filter value is not),
# updateTaskInstancesState needs its task, date and new state. The DAG operations: the PATCHes
# need is_paused, a run's PATCH a state or note (and no other field), a trigger a date and run id
# the DAG does not have yet (409 otherwise) and no data interval half given. The bulk change
# takes success, failed and skipped (TaskState names more), each task instance once, at most 100.
SEMANTIC_CHECKS = {
    ("PATCH", TASK_INSTANCE),
    ("GET", f"{TASK_INSTANCE}/logs/{{task_try_number}}"),
    ("GET", f"{TASK_INSTANCE}/tries"),
    ("GET", "/dags/{dag_id}/taskInstances"),
    ("GET", "/dags/{dag_id}/dagRuns"),
    ("POST", "/dags/{dag_id}/updateTaskInstancesState"),
    ("GET", "/dags"),
    ("PATCH", "/dags"),
    ("PATCH", "/dags/{dag_id}"),
    ("POST", "/dags/{dag_id}/dagRuns"),
    ("PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}"),
    ("PATCH", "/dags/{dag_id}/dagRuns/{dag_run_id}/taskInstances"),
}
# Ids the sample data holds for the operations' other path parameters.
EXISTING_MORE = {"dag_run_id": "scheduled__2026-11-26T00:00:00+00:00", "key": "return_value"}


# Valid requests about any ids and about ids the sample data holds; invalid requests (their ids
# are not valid either, so which ones the data holds does not matter: a run of them "about
# existing ids" would repeat the same derandomized examples).
RUNS = [
    pytest.param(False, GenerationMode.POSITIVE, id="any-ids-positive"),
    pytest.param(True, GenerationMode.POSITIVE, id="existing-ids-positive"),
    pytest.param(False, GenerationMode.NEGATIVE, id="any-ids-negative"),
]


@pytest.mark.parametrize(("existing", "mode"), RUNS)
@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_answer_is_one_the_spec_allows(
    conformance_server: AirflowApiServer,
    path: str,
    method: str,
    existing: bool,
    mode: GenerationMode,
) -> None:
    conformance_server.reset()
    operation = SCHEMA[path][method]
    strategy = operation.as_strategy(generation_mode=mode)
    excluded = [positive_data_acceptance] if (method, path) in SEMANTIC_CHECKS else []

    @hypothesis.settings(
        max_examples=25,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @hypothesis.given(case=strategy)
    def check(case: schemathesis.Case) -> None:
        if existing and mode is GenerationMode.POSITIVE:
            names = set(case.path_parameters or {})
            known = {k: v for k, v in {**EXISTING, **EXISTING_MORE}.items() if k in names}
            case.path_parameters = {**(case.path_parameters or {}), **known}
            if path.endswith("/updateTaskInstancesState") and isinstance(case.body, dict):
                # The body names the task instance: make it one the sample data holds.
                case.body = {**case.body, "task_id": EXISTING["task_id"],
                             "execution_date": EXISTING["execution_date"]}
            _make_a_change_the_server_accepts(case, method, path)
        case.call_and_validate(
            base_url=conformance_server.url, timeout=10, excluded_checks=excluded
        )

    check()
    statuses = {entry.status for entry in conformance_server.request_log.entries()}
    if existing and mode is GenerationMode.POSITIVE:
        # Otherwise the run proved only the error answers.
        assert statuses & {200, 204}, statuses


def _make_a_change_the_server_accepts(case: schemathesis.Case, method: str, path: str) -> None:
    """The PATCHes of DAGs and runs change one field a client may change: make the generated
    request ask for that (whatever else it holds), so that the run proves their 200 too."""
    if method != "PATCH" or not isinstance(case.body, dict):
        return
    if path in ("/dags", "/dags/{dag_id}"):
        case.body = {"is_paused": bool(case.body.get("is_paused"))}
        mask = ["is_paused"]
    elif path == "/dags/{dag_id}/dagRuns/{dag_run_id}":
        case.body = {"state": "queued"}
        mask = ["state"]
    else:
        return
    if case.query and "update_mask" in case.query:
        case.query = {**case.query, "update_mask": mask}

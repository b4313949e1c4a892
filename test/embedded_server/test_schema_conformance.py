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
import schemathesis
import yaml
from hypothesis import HealthCheck
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

import airflow_python_sdk.testing
from airflow_python_sdk.testing.server import AirflowApiServer

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


def test_the_spec_lists_the_five_task_instance_operations() -> None:
    assert sorted(OPERATIONS) == sorted(
        [
            ("/dags/{dag_id}/taskInstances/{task_id}/{execution_date}", "GET"),
            ("/dags/{dag_id}/taskInstances/{task_id}/{execution_date}", "PATCH"),
            ("/dags/{dag_id}/taskInstances/{task_id}/{execution_date}", "DELETE"),
            ("/dags/{dag_id}/taskInstances/{task_id}/{execution_date}/links", "GET"),
            (
                "/dags/{dag_id}/taskInstances/{task_id}/{execution_date}/logs/{task_try_number}",
                "GET",
            ),
        ]
    )


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("existing", [False, True], ids=["any-ids", "existing-ids"])
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
    # Schema-valid is not always acceptable: PATCH refuses masks naming unknown fields and bodies
    # contradicting the path, getLogs refuses forged tokens, both with 400 as Airflow does.
    semantic_checks = (method, path) in {
        ("PATCH", "/dags/{dag_id}/taskInstances/{task_id}/{execution_date}"),
        ("GET", "/dags/{dag_id}/taskInstances/{task_id}/{execution_date}/logs/{task_try_number}"),
    }
    excluded = [positive_data_acceptance] if semantic_checks else []

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
            case.path_parameters = {**(case.path_parameters or {}), **EXISTING}
        case.call_and_validate(
            base_url=conformance_server.url, timeout=10, excluded_checks=excluded
        )

    check()
    statuses = {entry.status for entry in conformance_server.request_log.entries()}
    if existing and mode is GenerationMode.POSITIVE:
        # Otherwise the run proved only the error answers.
        assert statuses & {200, 204}, statuses

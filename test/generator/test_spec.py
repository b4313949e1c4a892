"""openapi.yaml is a valid OpenAPI 3.0 document and carries the deliberate fixes to the draft."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import validate

ROOT = Path(__file__).resolve().parents[2]


def load(name: Path) -> dict:
    return yaml.safe_load(name.read_text())


def test_the_spec_is_a_valid_openapi_document():
    validate(load(ROOT / "openapi.yaml"))


def test_the_fixes_to_the_draft_are_in_the_spec():
    spec = load(ROOT / "openapi.yaml")
    draft = load(ROOT / "test/data/draft-spec-taskinstance.yaml")
    params = spec["components"]["parameters"]
    schemas = spec["components"]["schemas"]

    assert draft["components"]["parameters"]["TaskID"]["schema"]["type"] == "integer"
    assert params["TaskID"]["schema"]["type"] == "string"
    assert draft["components"]["parameters"]["ContinuationToken"]["schema"]["type"] == "boolean"
    assert params["ContinuationToken"]["schema"]["type"] == "string"

    date_fields = {
        ("TaskInstance", "execution_date"), ("TaskInstance", "start_date"),
        ("TaskInstance", "end_date"), ("TaskInstance", "queued_dttm"),
        ("SLAMiss", "execution_date"), ("SLAMiss", "timestamp"),
    }
    for schema, field in date_fields:
        assert schemas[schema]["properties"][field]["format"] == "date-time", (schema, field)

    delete = spec["paths"]["/dags/{dag_id}/taskInstances/{task_id}/{execution_date}"]["delete"]
    assert delete["summary"] == "Delete a task instance"

    error = schemas["Error"]["properties"]
    assert "detail" in error and "details" in error

    logs = spec["paths"][
        "/dags/{dag_id}/taskInstances/{task_id}/{execution_date}/logs/{task_try_number}"
    ]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert logs == {"$ref": "#/components/schemas/InlineResponse200"}
    assert set(schemas["InlineResponse200"]["properties"]) == {"continuation_token", "content"}

    draft_states = draft["components"]["schemas"]["TaskState"]["enum"]
    states = schemas["TaskState"]["enum"]
    assert states[: len(draft_states)] == draft_states
    assert set(states) - set(draft_states) == {
        "deferred", "removed", "restarting", "sensing", "shutdown"
    }

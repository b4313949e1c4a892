"""openapi.yaml is a valid OpenAPI 3.0 document and carries the deliberate fixes to the draft."""

from __future__ import annotations

from pathlib import Path

import yaml
from openapi_spec_validator import validate
from support.paths import REPO_ROOT


def load(name: Path) -> dict:
    return yaml.safe_load(name.read_text())


def test_the_spec_is_a_valid_openapi_document():
    validate(load(REPO_ROOT / "openapi.yaml"))


def test_the_fixes_to_the_draft_are_in_the_spec():
    spec = load(REPO_ROOT / "openapi.yaml")
    draft = load(REPO_ROOT / "test/data/draft-spec-taskinstance.yaml")
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


def test_the_fixes_to_the_family_draft_are_in_the_spec():
    spec = load(REPO_ROOT / "openapi.yaml")
    draft = load(REPO_ROOT / "test/data/draft-spec-task-instance-family.yaml")
    params = spec["components"]["parameters"]
    schemas = spec["components"]["schemas"]
    draft_schemas = draft["components"]["schemas"]

    assert draft["components"]["parameters"]["DAGRunID"]["schema"]["type"] == "integer"
    assert params["DAGRunID"]["schema"]["type"] == "string"

    for schema, field in [("ClearTaskInstance", "start_date"), ("ClearTaskInstance", "end_date"),
                          ("UpdateTaskInstancesState", "execution_date"),
                          ("TaskInstanceReference", "execution_date"),
                          ("XComCollectionItem", "timestamp"), ("XCom", "execution_date")]:
        assert schemas[schema]["properties"][field]["format"] == "date-time", (schema, field)

    assert draft_schemas["DAGRun"]["properties"]["state"]["$ref"].endswith("/TaskState")
    assert schemas["DAGRun"]["properties"]["state"]["$ref"].endswith("/DagState")
    assert "allOf" in draft_schemas["XCom"] and "allOf" not in schemas["XCom"]
    for collection in ("TaskInstanceCollection", "DAGRunCollection", "XComCollection"):
        assert "total_entries" not in draft_schemas[collection]["properties"]
        assert "total_entries" in schemas[collection]["properties"]

    lists = [spec["paths"]["/dags/{dag_id}/taskInstances"]["get"],
             spec["paths"]["/dags/{dag_id}/dagRuns"]["get"]]
    for operation in lists:
        assert "`~`" in operation["description"] and '"-"' not in operation["description"]
        assert "400" in operation["responses"]

    clear = schemas["ClearTaskInstance"]
    assert clear["properties"]["dry_run"]["default"] is True
    assert clear["properties"]["reset_dag_runs"]["default"] is True
    assert clear["additionalProperties"] is False and clear["x-python-send-defaults"] is True
    assert schemas["UpdateTaskInstancesState"]["properties"]["dry_run"]["default"] is True
    assert {"map_index", "note", "dag_run_id"} <= set(schemas["TaskInstance"]["properties"])


def test_the_original_clients_class_and_method_names_are_kept():
    spec = load(REPO_ROOT / "openapi.yaml")
    names = {
        (operation["tags"][0], operation["operationId"])
        for path in spec["paths"].values() for operation in path.values()
        if isinstance(operation, dict) and "operationId" in operation
    }
    assert {("Pool", "getTaskInstances"), ("DAG", "clearTaskInstances"),
            ("DAG", "updateTaskInstancesState"), ("DAGRun", "getDagRuns"),
            ("DAGRun", "getDagRun"), ("XCom", "getXComValues"), ("XCom", "getXComValue"),
            ("TaskInstance", "getTaskInstanceTries")} <= names

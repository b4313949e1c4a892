"""Answers from a newer Airflow: unknown fields and states are kept, nulls never raise."""

from __future__ import annotations

import json
import types

import pytest
from core.payloads import (
    API_PREFIX,
    EXECUTION_DATE,
    EXTRA_LINKS_PAYLOAD,
    TASK_INSTANCE_PAYLOAD,
    real_answer,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from support.recording_server import Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.sla_miss import SLAMiss
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

# Fields a real Airflow 2.10 sends that this API's spec does not name (dag_run_id, map_index and
# note are spec fields now).
REAL_UNKNOWN_FIELDS = {
    "executor": None,
    "queued_when": "2026-11-28T14:29:09.896247+00:00",
    "rendered_fields": {
        "bash_command": 'for i in $(seq 1 20); do echo "line $i of output from echo_ok"; done',
        "cwd": None,
        "env": None,
    },
    "rendered_map_index": None,
    "task_display_name": "echo_ok",
    "trigger": None,
    "triggerer_job": None,
}


def test_unknown_fields_of_a_real_answer_are_kept(server, api):
    server.answer(Reply.json(real_answer("v2_ti_echo_ok.json")))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    as_dict = ti.to_dict()
    for name, value in REAL_UNKNOWN_FIELDS.items():
        assert as_dict[name] == value, name
        assert ti[name] == value, name
        assert ti.get(name) == value, name
        assert name in ti, name
    assert ti.task_id == "echo_ok"


def test_unknown_fields_in_nested_models_are_kept(server, api):
    sla_miss = dict(TASK_INSTANCE_PAYLOAD["sla_miss"], escalation={"level": 2, "to": ["ops"]})
    links = {
        "extra_links": [
            dict(EXTRA_LINKS_PAYLOAD["extra_links"][0], icon="bolt"),
        ],
        "total_entries": 1,
    }
    server.answer(Reply.json(dict(TASK_INSTANCE_PAYLOAD, sla_miss=sla_miss)), Reply.json(links))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    collection = api.get_extra_links("feas_dag", "echo_ok", EXECUTION_DATE)

    assert isinstance(ti.sla_miss, SLAMiss)
    assert ti.sla_miss["escalation"] == {"level": 2, "to": ["ops"]}
    assert ti.to_dict()["sla_miss"]["escalation"] == {"level": 2, "to": ["ops"]}
    assert isinstance(collection, ExtraLinkCollection)
    assert collection["total_entries"] == 1
    assert collection.extra_links[0]["icon"] == "bolt"


def test_unknown_fields_of_a_log_chunk_are_kept(server, api):
    server.answer(Reply.json({"content": "x\n", "continuation_token": None, "size": 2}))

    chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)

    assert chunk.content == "x\n"
    assert chunk.continuation_token is None
    assert chunk["size"] == 2


def test_an_unknown_task_state_is_kept_as_a_task_state(server, api):
    server.answer(Reply.json(dict(TASK_INSTANCE_PAYLOAD, state="awaiting_approval")))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert isinstance(ti.state, TaskState)
    assert ti.state.value == "awaiting_approval"
    assert ti.state == "awaiting_approval"


def test_an_unknown_task_state_goes_back_unchanged(server, api):
    server.answer(
        Reply.json(dict(TASK_INSTANCE_PAYLOAD, state="awaiting_approval")),
        Reply.json(TASK_INSTANCE_PAYLOAD),
    )

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, ti, update_mask=["state"])

    assert server.last.json()["state"] == "awaiting_approval"


@pytest.mark.parametrize("field", sorted(TASK_INSTANCE_PAYLOAD))
def test_null_in_any_task_instance_field_becomes_none(server, api, field):
    server.answer(Reply.json(dict(TASK_INSTANCE_PAYLOAD, **{field: None})))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert ti[field] is None
    assert ti.to_dict()[field] is None


@pytest.mark.parametrize("field", sorted(TASK_INSTANCE_PAYLOAD["sla_miss"]))
def test_null_in_any_sla_miss_field_becomes_none(server, api, field):
    sla_miss = dict(TASK_INSTANCE_PAYLOAD["sla_miss"], **{field: None})
    server.answer(Reply.json(dict(TASK_INSTANCE_PAYLOAD, sla_miss=sla_miss)))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert ti.sla_miss[field] is None


def test_nulls_in_links_and_logs_become_none(server, api):
    server.answer(
        Reply.json({"extra_links": [{"class_ref": None, "name": None, "href": None}]}),
        Reply.json({"extra_links": None}),
        Reply.json({"content": None, "continuation_token": None}),
    )

    links = api.get_extra_links("feas_dag", "echo_ok", EXECUTION_DATE)
    no_links = api.get_extra_links("feas_dag", "echo_ok", EXECUTION_DATE)
    chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)

    assert links.extra_links[0].class_ref is None
    assert links.extra_links[0].href is None
    assert no_links.extra_links is None
    assert chunk.content is None


def test_an_integer_in_a_number_field_is_accepted(server, api):
    # JSON has one number type: a duration of exactly 3 seconds may arrive as 3.
    server.answer(Reply.json(dict(TASK_INSTANCE_PAYLOAD, duration=3)))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert ti.duration == 3


def test_discard_unknown_keys_drops_unknown_fields(server):
    configuration = airflow_python_sdk.Configuration(
        host=server.url + API_PREFIX, discard_unknown_keys=True
    )
    sla_miss = dict(TASK_INSTANCE_PAYLOAD["sla_miss"], escalation=1)
    server.answer(Reply.json(dict(real_answer("v2_ti_echo_ok.json"), sla_miss=sla_miss)))

    with airflow_python_sdk.ApiClient(configuration) as client:
        ti = TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    as_dict = ti.to_dict()
    for name in REAL_UNKNOWN_FIELDS:
        assert name not in as_dict
        assert name not in ti
    assert "escalation" not in as_dict["sla_miss"]
    assert as_dict["task_id"] == "echo_ok"
    assert as_dict["sla_miss"]["dag_id"] == "feas_dag"


def test_a_task_instance_read_from_a_newer_server_can_be_sent_back(server, api):
    # A task instance read from a newer server keeps its extra fields; sending it back as the
    # body of an update must still produce valid JSON containing the known fields.
    server.answer(Reply.json(real_answer("v2_ti_echo_ok.json")), Reply.json(TASK_INSTANCE_PAYLOAD))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, ti)

    body = server.last.json()
    assert body["task_id"] == "echo_ok"
    assert body["state"] == "success"


# Names a newer server could plausibly send that collide with the model's own machinery or with
# Python keywords: they must stay plain data.
AWKWARD_FIELD_NAMES = [
    "to_dict",
    "to_str",
    "get",
    "items",
    "keys",
    "_data",
    "_check_type",
    "_path_to_item",
    "__class__",
    "__dict__",
    "self",
    "cls",
    "class",
    "from",
    "None",
    "",
    "dag-id",
    "ünïcode",
]


def test_unknown_fields_with_awkward_names_stay_data(server, api):
    extra = {name: f"value of {name!r}" for name in AWKWARD_FIELD_NAMES}
    server.answer(Reply.json(dict(TASK_INSTANCE_PAYLOAD, **extra)))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    as_dict = ti.to_dict()
    for name, value in extra.items():
        assert as_dict[name] == value, name
        assert ti[name] == value, name
    assert ti.task_id == "echo_ok"
    assert ti.get("pool") == "default_pool"
    assert "echo_ok" in ti.to_str()
    assert isinstance(ti.sla_miss, SLAMiss)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)
UNKNOWN_FIELDS = st.dictionaries(
    # Any name the spec does not give TaskInstance: a spec field (map_index, say) is checked.
    st.text(max_size=12).filter(
        lambda name: name not in TASK_INSTANCE_PAYLOAD and name not in TaskInstance._fields),
    JSON_VALUES,
    max_size=5,
)


def test_any_unknown_fields_are_kept_as_sent():
    with airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration()) as client:

        @settings(max_examples=100, deadline=None)
        @given(extra=UNKNOWN_FIELDS)
        def check(extra):
            response = types.SimpleNamespace(
                data=json.dumps(dict(TASK_INSTANCE_PAYLOAD, **extra)),
                status=200,
                headers={"Content-Type": "application/json"},
                getheader=lambda name, default=None: "application/json",
            )
            ti = client.deserialize(response, (TaskInstance,), True)
            as_dict = ti.to_dict()
            for name, value in extra.items():
                assert as_dict[name] == value
                assert ti[name] == value
            assert ti.execution_date == EXECUTION_DATE

        check()

"""Seeding the store from Python objects and from JSON files, and the sample data set."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from embedded_server.http_calls import Caller, ti_path

from airflow_python_sdk.testing import AirflowApiServer, SeedError, sample_task_instances
from airflow_python_sdk.testing.store import TaskInstanceKey

UTC = timezone.utc


def _get(server: AirflowApiServer, path: str) -> Any:
    caller = Caller(server.url)
    try:
        reply = caller("GET", path)
        assert reply.status == 200, reply.data
        return reply.json()
    finally:
        caller.close()


def test_a_python_seed_fills_in_defaults_and_accepts_datetimes() -> None:
    seed = [
        {
            "dag_id": "my_dag",
            "task_id": "my_task",
            "execution_date": datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=2))),
            "state": "queued",
            "start_date": datetime(2026, 3, 1, 10, 0, tzinfo=timezone.utc),
            "logs": ["first try\n", "second try\n"],
        }
    ]

    with AirflowApiServer(seed=seed) as server:
        instance = _get(server, ti_path("my_dag", "my_task", "2026-03-01T10:00:00Z"))
        log = _get(server, ti_path("my_dag", "my_task", "2026-03-01T10:00:00Z") + "/logs/2")

    assert instance["execution_date"] == "2026-03-01T10:00:00+00:00"
    assert instance["start_date"] == "2026-03-01T10:00:00+00:00"
    assert instance["state"] == "queued"
    assert instance["try_number"] == 2  # the highest try with a log
    assert instance["pool"] == "default_pool"
    assert instance["sla_miss"] is None
    assert log == {"content": "second try\n", "continuation_token": None}


@pytest.mark.parametrize(("field", "value"), [
    ("execution_date", "2026-03-01T10:00:00"),
    ("execution_date", datetime(2026, 3, 1, 10, 0)),
    ("start_date", "2026-03-01 10:00:00"),
    ("end_date", datetime(2026, 3, 1, 11, 0)),
])
def test_a_seed_date_without_a_time_zone_is_refused_as_the_command_refuses_it(
        field: str, value: object) -> None:
    # `airflow-sdk` refuses a date without a time zone rather than guess; a seed that the server
    # read as UTC would hold dates no command line could name as written.
    seed = {"dag_id": "d", "task_id": "t", "execution_date": "2026-03-01T10:00:00Z",
            field: value}

    with pytest.raises(SeedError, match=f"{field} .* has no time zone: give one"):
        AirflowApiServer(seed=[seed])


@pytest.mark.parametrize("wrapped", [True, False])
def test_a_json_seed_file_is_read(tmp_path: Path, wrapped: bool) -> None:
    instances = [
        {
            "dag_id": "file_dag",
            "task_id": "t1",
            "execution_date": "2026-05-05T00:00:00Z",
            "state": "failed",
            "logs": {"1": "boom\n"},
            "extra_links": [{"name": "Docs", "href": "https://docs.example.com"}],
        }
    ]
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({"task_instances": instances} if wrapped else instances))

    with AirflowApiServer(seed=str(path)) as server:
        base = ti_path("file_dag", "t1", "2026-05-05T00:00:00+00:00")
        assert _get(server, base)["state"] == "failed"
        assert _get(server, base + "/links") == {
            "extra_links": [{"name": "Docs", "href": "https://docs.example.com"}]
        }
        assert _get(server, base + "/logs/1")["content"] == "boom\n"
        assert len(server.store) == 1


BASE = {"dag_id": "d", "task_id": "t", "execution_date": "2026-01-01T00:00:00Z"}


@pytest.mark.parametrize(
    ("item", "words"),
    [
        ({"task_id": "t", "execution_date": "2026-01-01T00:00:00Z"}, "dag_id is required"),
        ({**BASE, "execution_date": "soon"}, "not an RFC 3339"),
        ({**BASE, "state": "x"}, "'x' is not one of"),
        ({**BASE, "colour": 1}, "'colour' is not a TaskInstance field"),
        ({**BASE, "logs": {"0": "x"}}, "try number >= 1"),
        ({**BASE, "extra_links": [{"name": "n"}]}, "needs an href"),
    ],
)
def test_invalid_seed_data_is_refused_with_the_reason(item: dict[str, Any], words: str) -> None:
    with pytest.raises(SeedError, match="task instance #0") as raised:
        AirflowApiServer(seed=[item])

    assert words in str(raised.value)


def test_the_same_instance_twice_is_refused() -> None:
    twice = [
        {"dag_id": "d", "task_id": "t", "execution_date": "2026-01-01T00:00:00Z"},
        {"dag_id": "d", "task_id": "t", "execution_date": "2026-01-01T01:00:00+01:00"},
    ]

    with pytest.raises(SeedError, match="repeats"):
        AirflowApiServer(seed=twice)


def test_a_seed_file_of_the_wrong_shape_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{"dags": []}')

    with pytest.raises(SeedError, match="expected a list"):
        AirflowApiServer(seed=path)


def test_the_sample_data_covers_what_its_users_rely_on() -> None:
    seed = sample_task_instances()
    states = {item["state"] for item in seed}

    assert {"success", "failed", "running", "upstream_failed", "skipped"} <= states
    assert len({item["dag_id"] for item in seed}) >= 3
    assert any(item.get("extra_links") for item in seed)
    failed_logs = [
        text for item in seed if item["state"] == "failed" for text in item.get("logs", {}).values()
    ]
    assert failed_logs and all(text.count("\n") > 10 for text in failed_logs)  # several chunks
    assert sample_task_instances() is not seed  # a fresh copy each call


def test_the_default_server_serves_the_sample_data() -> None:
    with AirflowApiServer() as server:
        keys = server.store.keys()

    assert len(keys) == len(sample_task_instances())
    assert TaskInstanceKey("etl_daily", "transform", datetime(2026, 11, 26, tzinfo=UTC)) in keys


def test_an_empty_seed_serves_nothing() -> None:
    with AirflowApiServer(seed=[]) as server:
        caller = Caller(server.url)
        try:
            assert (
                caller("GET", ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z")).status
                == 404
            )
        finally:
            caller.close()


def test_load_replaces_the_data_until_the_next_reset(airflow_api: AirflowApiServer) -> None:
    airflow_api.load([{"dag_id": "d", "task_id": "t", "execution_date": "2026-01-01T00:00:00Z"}])
    assert len(airflow_api.store) == 1

    airflow_api.reset()

    assert len(airflow_api.store) == len(sample_task_instances())


def test_the_store_shows_what_a_request_changed(
    airflow_api: AirflowApiServer, call: Caller
) -> None:
    key = TaskInstanceKey("etl_daily", "transform", datetime(2026, 11, 26, tzinfo=UTC))
    call(
        "PATCH",
        ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z"),
        body={"state": "success"},
    )

    record = airflow_api.store.get(key)

    assert record is not None
    assert record.fields["state"] == "success"
    assert "marking as FAILED" in record.logs[2]
    record.fields["state"] = "changed by the test"  # a copy: the server is not affected
    stored = airflow_api.store.get(key)
    assert stored is not None and stored.fields["state"] == "success"


# -- DAGs --------------------------------------------------------------------------------------

def test_the_dags_of_a_python_seed_are_derived_from_its_task_instances() -> None:
    seed = [
        {"dag_id": "my_dag", "task_id": "first", "execution_date": "2026-03-01T00:00:00Z",
         "downstream": ["second"], "operator": "BashOperator", "max_tries": 2},
        {"dag_id": "my_dag", "task_id": "second", "execution_date": "2026-03-01T00:00:00Z"},
    ]
    with AirflowApiServer(seed=seed) as server:
        dags = _get(server, "/dags")
        dag = server.store.dag("my_dag")

    assert [d["dag_id"] for d in dags["dags"]] == ["my_dag"]
    assert (dags["dags"][0]["is_paused"], dags["dags"][0]["tags"]) == (False, [])
    assert dag is not None and list(dag.tasks) == ["first", "second"]
    first = dag.tasks["first"]
    assert (first.downstream, first.operator, first.retries) == (["second"], "BashOperator", 2)


def test_a_seed_file_declares_dags_next_to_its_task_instances(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text(json.dumps({
        "dags": [
            {"dag_id": "declared", "is_paused": True, "tags": ["a", {"name": "b"}],
             "owners": ["me"], "schedule_interval": "*/5 * * * *",
             "tasks": ["only", {"task_id": "other", "retries": 1}]},
        ],
        "task_instances": [
            {"dag_id": "declared", "task_id": "only", "execution_date": "2026-03-01T00:00:00Z"},
            {"dag_id": "undeclared", "task_id": "t", "execution_date": "2026-03-01T00:00:00Z"},
        ],
    }))
    with AirflowApiServer(seed=str(path)) as server:
        declared = _get(server, "/dags/declared")
        listed = [d["dag_id"] for d in _get(server, "/dags")["dags"]]
        tasks = list(server.store.dag("declared").tasks)  # type: ignore[union-attr]

    assert (declared["is_paused"], declared["tags"], declared["owners"]) == (
        True, [{"name": "a"}, {"name": "b"}], ["me"])
    assert declared["schedule_interval"] == {"__type": "CronExpression", "value": "*/5 * * * *"}
    assert declared["timetable_description"] == "Cron: */5 * * * *"
    assert listed == ["declared", "undeclared"]
    assert tasks == ["only", "other"]


def test_dags_given_in_python_replace_the_sample_ones_on_reset() -> None:
    with AirflowApiServer(seed=[], dags=[{"dag_id": "alone", "tasks": ["t"]}]) as server:
        server.load(sample_task_instances())
        assert "alone" not in [d["dag_id"] for d in _get(server, "/dags")["dags"]]
        server.reset()
        assert [d["dag_id"] for d in _get(server, "/dags")["dags"]] == ["alone"]


@pytest.mark.parametrize(("dags", "message"), [
    ([{"tasks": []}], "dag_id is required"),
    ([{"dag_id": "x", "colour": "red"}], "'colour' is not a DAG field"),
    ([{"dag_id": "x", "is_paused": "yes"}], "is_paused must be true or false"),
    ([{"dag_id": "x"}, {"dag_id": "x"}], "repeats 'x'"),
    ([{"dag_id": "x", "tasks": [{"task_id": "t", "retries": -1}]}], "retries must be"),
])
def test_bad_dag_seeds_say_what_is_wrong(dags: list[dict[str, Any]], message: str) -> None:
    with pytest.raises(SeedError) as caught:
        AirflowApiServer(seed=[], dags=dags)
    assert message in str(caught.value)


def test_the_guides_seed_files_load_as_printed(tmp_path: Path) -> None:
    guide = (Path(__file__).resolve().parents[2] / "docs"
             / "TESTING_WITH_THE_EMBEDDED_SERVER.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```json\n(.*?)```", guide, flags=re.DOTALL)
    assert len(blocks) == 2
    loaded = []
    for number, block in enumerate(blocks):
        path = tmp_path / f"seed{number}.json"
        path.write_text(block, encoding="utf-8")
        with AirflowApiServer(seed=str(path)) as server:
            loaded.append((len(server.store), server.store.dag_ids()))

    assert loaded == [(1, ["billing"]), (0, ["billing", "old_export"])]

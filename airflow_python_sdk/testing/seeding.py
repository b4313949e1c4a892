"""Turning seed data (Python objects or a JSON file) into store records.

A seed is a list of mappings, one per task instance: the TaskInstance fields of openapi.yaml
(dag_id, task_id and execution_date required, map_index -1 unless given, the rest defaulted),
plus "logs" (try number -> text, or a list whose first item is try 1), "extra_links" (ExtraLink
objects), "tries" (the earlier tries, oldest first: each the fields that differ from the task
instance's own), "xcom" (XCom key -> value) and "downstream" (the ids of the tasks that run after
this one). A JSON seed file holds that list, or an object whose "task_instances" member holds it
(and whose "dags" member may list DAGs, see dag_seeds.py). The DAG runs are made from the task
instances: one per DAG and execution date; so are the DAGs a seed does not declare.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from typing import Any, Iterable, Mapping, Union

from .dag_runs import run_id_for
from .fields import DATE_TIME_FIELDS, TASK_INSTANCE_FIELDS, check_field
from .store import StoredTaskInstance, TaskInstanceKey
from .timestamps import has_zone, parse_timestamp, to_utc

Seed = Iterable[Mapping[str, Any]]
SeedSource = Union[Seed, str, "os.PathLike[str]"]

# Fields a seed may leave out, with the values a freshly created Airflow task instance shows.
_DEFAULTS: dict[str, Any] = {
    "start_date": None,
    "end_date": None,
    "duration": None,
    "state": None,
    "max_tries": 0,
    "hostname": "",
    "unixname": "airflow",
    "job_id": None,
    "pool": "default_pool",
    "pool_slots": 1,
    "queue": "default",
    "priority_weight": 1,
    "operator": None,
    "queued_dttm": None,
    "pid": None,
    "executor_config": "{}",
    "sla_miss": None,
    "map_index": -1,
    "note": None,
}


class SeedError(ValueError):
    """Seed data that does not describe valid task instances."""


def load_seed_file(path: Union[str, os.PathLike[str]]) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as handle:
        document = json.load(handle)
    if isinstance(document, dict):
        document = document.get("task_instances")
    if not isinstance(document, list):
        raise SeedError(f"{path}: expected a list of task instances or {{'task_instances': [...]}}")
    return document


def load_dag_file(path: Union[str, os.PathLike[str]]) -> list[Mapping[str, Any]]:
    """The DAG seeds of a JSON file: a list of them, or an object whose "dags" lists them (a
    seed file's DAGs)."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except ValueError as error:
        raise SeedError(f"{path}: not JSON: {error}") from None
    if isinstance(document, dict):
        document = document.get("dags")
    if not isinstance(document, list):
        raise SeedError(f"{path}: expected a list of DAGs or {{\"dags\": [...]}}")
    return document


def resolve_dag_seed(source: SeedSource) -> list[Mapping[str, Any]]:
    """The DAGs a seed declares: a JSON seed file's "dags"; none for seed data given in Python
    (its DAGs are derived from its task instances)."""
    if not isinstance(source, (str, os.PathLike)):
        return []
    with open(source, encoding="utf-8") as handle:
        document = json.load(handle)
    dags = document.get("dags", []) if isinstance(document, dict) else []
    if not isinstance(dags, list):
        raise SeedError(f"{source}: \"dags\" must be a list of DAGs")
    return dags


def resolve_seed(source: SeedSource) -> list[Mapping[str, Any]]:
    """Accept a seed or the path of a JSON seed file."""
    if isinstance(source, (str, os.PathLike)):
        return list(load_seed_file(source))
    return list(source)


def build_records(seed: Seed) -> list[tuple[TaskInstanceKey, StoredTaskInstance]]:
    records = []
    keys: set[TaskInstanceKey] = set()
    for position, item in enumerate(seed):
        try:
            key, record = build_record(item)
        except (ValueError, TypeError) as error:
            raise SeedError(f"task instance #{position} of the seed: {error}") from None
        if key in keys:
            raise SeedError(f"task instance #{position} of the seed repeats {key}")
        keys.add(key)
        records.append((key, record))
    return records


def build_record(item: Mapping[str, Any]) -> tuple[TaskInstanceKey, StoredTaskInstance]:
    """One task instance from its seed mapping (raises ValueError or TypeError saying what is
    wrong)."""
    if not isinstance(item, Mapping):
        raise ValueError("must be a mapping")
    data = dict(item)
    logs = _build_logs(data.pop("logs", {}))
    extra_links = _build_links(data.pop("extra_links", []))
    earlier = data.pop("tries", [])
    xcom = data.pop("xcom", {})
    downstream = data.pop("downstream", [])
    for required in ("dag_id", "task_id", "execution_date"):
        if required not in data:
            raise ValueError(f"{required} is required")
    fields = {**_DEFAULTS, "try_number": max(logs, default=0)}
    for name, value in data.items():
        if name not in TASK_INSTANCE_FIELDS:
            raise ValueError(f"{name!r} is not a TaskInstance field, 'logs' or 'extra_links'")
        _require_zone(name, value)
        fields[name] = check_field(name, value)
    key = TaskInstanceKey(fields["dag_id"], fields["task_id"], _key_date(item["execution_date"]),
                          fields["map_index"])
    fields.setdefault("dag_run_id", run_id_for(key.execution_date))
    in_schema_order = {name: fields[name] for name in TASK_INSTANCE_FIELDS}
    return key, StoredTaskInstance(
        fields=in_schema_order, logs=logs, extra_links=extra_links,
        tries=_build_tries(earlier, in_schema_order), xcom=_build_xcom(xcom, in_schema_order),
        downstream=_build_task_ids(downstream),
    )


def _require_zone(name: str, value: Any) -> None:
    """A seed's date-times carry their time zone, as the SDK and its command require of every
    date they are given: a seed read as UTC here would be refused by `airflow-sdk` there."""
    if name in DATE_TIME_FIELDS and value is not None and not has_zone(value):
        raise ValueError(
            f"{name} {value!r} has no time zone: give one, e.g. 2026-11-26T00:00:00Z or "
            "2026-11-26T00:00:00+00:00 (an aware datetime, in Python)")


def _key_date(value: Any) -> datetime:
    return to_utc(value) if isinstance(value, datetime) else parse_timestamp(value)


def _build_logs(value: Any) -> dict[int, str]:
    if isinstance(value, list):
        value = {try_number: text for try_number, text in enumerate(value, start=1)}
    if not isinstance(value, Mapping):
        raise ValueError("logs must map try numbers to text, or list the tries' texts")
    logs = {}
    for try_number, text in value.items():
        number = int(try_number)
        if number < 1 or not isinstance(text, str):
            raise ValueError(f"logs[{try_number!r}] must be text for a try number >= 1")
        logs[number] = text
    return logs


def _build_tries(value: Any, fields: dict[str, Any]) -> list[dict[str, Any]]:
    """The earlier tries' records: the task instance's fields, with each try's own values."""
    if not isinstance(value, list):
        raise ValueError("tries must list the earlier tries' fields, oldest first")
    tries = []
    for number, changes in enumerate(value, start=1):
        if not isinstance(changes, Mapping):
            raise ValueError(f"tries[{number - 1}] must be a mapping of fields")
        record = {**fields, "try_number": number}
        for name, item in changes.items():
            _require_zone(name, item)
            record[name] = check_field(name, item)
        tries.append(record)
    return tries


def _build_xcom(value: Any, fields: dict[str, Any]) -> dict[str, dict[str, Any]]:
    if not isinstance(value, Mapping):
        raise ValueError("xcom must map keys to values")
    stamp = fields.get("end_date") or fields.get("start_date") or fields["execution_date"]
    return {str(key): {"value": item, "timestamp": stamp} for key, item in value.items()}


def _build_task_ids(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("downstream must list task ids")
    return list(value)


def _build_links(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueError("extra_links must be a list")
    links = []
    for link in value:
        if not isinstance(link, Mapping) or not isinstance(link.get("name"), str):
            raise ValueError("each extra link needs a name (text) and an href (text)")
        if not isinstance(link.get("href"), str):
            raise ValueError(f"extra link {link['name']!r} needs an href (text)")
        built: dict[str, Any] = {"name": link["name"], "href": link["href"]}
        class_ref = link.get("class_ref")
        if class_ref is not None:
            if not isinstance(class_ref, Mapping) or not all(
                isinstance(class_ref.get(part), str) for part in ("module_path", "class_name")
            ):
                raise ValueError("class_ref needs module_path and class_name (text)")
            built["class_ref"] = {
                "module_path": class_ref["module_path"],
                "class_name": class_ref["class_name"],
            }
        links.append(built)
    return links

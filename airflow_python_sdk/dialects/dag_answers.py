"""Real servers' answers about DAGs and DAG runs, as the spec's models.

- A DAG: Airflow 2 sends the spec's fields (and more). Airflow 3 says `is_stale` where the spec
  says `is_active` (its opposite) and has no `schedule_interval`: its `timetable_summary` (the
  cron expression or preset, as text) fills it. Its tags carry `dag_id` and `dag_display_name`
  besides `name`, kept as unknown fields of each `Tag`.
- A DAG run: Airflow 3's `logical_date` fills `execution_date` (as for the family, see
  family_answers.py); it has no `external_trigger`, which its `run_type` gives (a manual or
  operator-triggered run was triggered from outside the schedule).
- What a clear of a run touched: Airflow 2 answers references, Airflow 3 whole task instances;
  both become references (see family_answers.references).
Every field the spec does not name is kept as an unknown field.
"""

from __future__ import annotations

from typing import Any

from airflow_python_sdk._errors import ApiTypeError
from airflow_python_sdk.dialects import answers
from airflow_python_sdk.dialects.codec import Codec
from airflow_python_sdk.model.dag import DAG
from airflow_python_sdk.model.dag_collection import DAGCollection
from airflow_python_sdk.model.dag_run import DAGRun

__all__ = ["dag", "dag_collection", "dag_document", "dag_run", "run_document"]

_TRIGGERED = ("manual", "operator_triggered")


def _object(document: Any, model: str) -> dict[str, Any]:
    if not isinstance(document, dict):
        raise ApiTypeError(
            f"Invalid type for `{model}`: expected a JSON object, got {type(document).__name__}",
            path_to_item=[model],
        )
    return document


def dag_document(document: Any) -> dict[str, Any]:
    """A DAG as the spec names its fields (a copy; the server's own fields kept)."""
    mapped = dict(_object(document, "DAG"))
    stale = mapped.get("is_stale")
    if "is_active" not in mapped and isinstance(stale, bool):
        mapped["is_active"] = not stale
    if "schedule_interval" not in mapped and "timetable_summary" in mapped:
        mapped["schedule_interval"] = mapped["timetable_summary"]
    return mapped


def run_document(document: Any) -> dict[str, Any]:
    """A DAG run as the spec names its fields (a copy; the server's own fields kept)."""
    mapped = dict(_object(document, "DAGRun"))
    for theirs, ours in answers.SPEC_NAMES.items():
        if ours not in mapped and theirs in mapped:
            mapped[ours] = mapped[theirs]
    if "external_trigger" not in mapped and isinstance(mapped.get("run_type"), str):
        mapped["external_trigger"] = mapped["run_type"] in _TRIGGERED
    return mapped


def dag(codec: Codec, document: Any, check: bool) -> DAG:
    result: DAG = codec.to_type(dag_document(document), DAG, check)
    return result


def dag_collection(codec: Codec, document: Any, check: bool) -> DAGCollection:
    page = _object(document, "DAGCollection")
    items = page.get("dags")
    if items is not None and not isinstance(items, list):
        raise ApiTypeError(
            f"Invalid type for `DAGCollection.dags`: expected a JSON array, got "
            f"{type(items).__name__}",
            path_to_item=["DAGCollection", "dags"],
        )
    dags = [dag_document(item) for item in items or ()]
    result: DAGCollection = codec.to_type({**page, "dags": dags}, DAGCollection, check)
    return result


def dag_run(codec: Codec, document: Any, check: bool) -> DAGRun:
    result: DAGRun = codec.to_type(run_document(document), DAGRun, check)
    return result

"""The DAGs of the sample data (see sample_data.py), as DAG seeds (see dag_seeds.py).

What tests can rely on:
- one DAG per DAG id the sample task instances name, its tasks theirs (with their downstream
  tasks): etl_daily, reporting, ml_training, partitioned_load, nightly_sales,
  nightly_inventory, nightly_billing; all unpaused;
- legacy_export: paused, no run, two tasks (export -> upload), tag `deprecated`;
- tags: etl_daily and partitioned_load `etl`; etl_daily and reporting `daily`; ml_training
  `ml`; the nightly DAGs `nightly`;
- schedules: etl_daily `0 0 * * *`, reporting `0 1 * * *`, partitioned_load `@daily`, the
  nightly DAGs `0 2 * * *`, ml_training and legacy_export none (triggered only).
"""

from __future__ import annotations

from typing import Any


def sample_dags() -> list[dict[str, Any]]:
    """The sample DAGs as seed mappings (a new list each call, safe to change)."""
    nightly = [
        {"dag_id": dag_id, "tags": ["nightly"], "owners": ["finance-data"],
         "schedule_interval": "0 2 * * *", "description": description}
        for dag_id, description in (
            ("nightly_sales", "Aggregates yesterday's sales."),
            ("nightly_inventory", "Reconciles stock levels with the warehouses."),
            ("nightly_billing", "Sends the day's invoices."),
        )
    ]
    return [
        {"dag_id": "etl_daily", "tags": ["etl", "daily"], "owners": ["data-eng"],
         "schedule_interval": "0 0 * * *",
         "description": "Extracts orders, transforms them and loads the warehouse."},
        {"dag_id": "reporting", "tags": ["reporting", "daily"], "owners": ["analytics"],
         "schedule_interval": "0 1 * * *", "description": "Builds and mails the daily report."},
        {"dag_id": "ml_training", "tags": ["ml"], "owners": ["ml-team"],
         "schedule_interval": None, "description": "Trains and evaluates the model."},
        {"dag_id": "partitioned_load", "tags": ["etl"], "owners": ["data-eng"],
         "schedule_interval": "@daily", "description": "Loads each partition in a mapped task."},
        *nightly,
        {"dag_id": "legacy_export", "is_paused": True, "tags": ["deprecated"],
         "owners": ["data-eng"], "schedule_interval": None,
         "description": "The old export, paused until it is removed.",
         "tasks": [{"task_id": "export", "downstream": ["upload"], "operator": "BashOperator"},
                   {"task_id": "upload", "operator": "BashOperator"}]},
    ]

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
- what each task does when the scheduler runs it (see scheduler.py), so that a triggered run
  tells the sample data's story again:
  - etl_daily: transform fails on try 1 (KeyError) and succeeds on its retry: the run succeeds;
  - reporting: email_report fails (SMTPServerDisconnected), archive is skipped: the run fails;
  - ml_training: train_model fails on try 1 and succeeds on its retry; the run succeeds;
  - partitioned_load, legacy_export: every task succeeds;
  - nightly_sales: aggregate fails on every try (a bad row): the run fails, notify
    upstream_failed;
  - nightly_inventory: reconcile fails on try 1 (a reset connection) and succeeds on try 2,
    which a clear (it has no retries) makes;
  - nightly_billing: invoice fails on tries 1 and 2 (timeouts; it retries once), succeeds on 3.
  Every other task succeeds; a try takes the scheduler's pace.
"""

from __future__ import annotations

from typing import Any


def _task(task_id: str, downstream: tuple[str, ...] = (), operator: str = "PythonOperator",
          **more: Any) -> dict[str, Any]:
    return {"task_id": task_id, "downstream": list(downstream), "operator": operator, **more}


def _nightly(middle: str, **script: Any) -> list[dict[str, Any]]:
    """The nightly DAGs' shape: extract -> middle -> notify."""
    return [_task("extract", (middle,)), _task(middle, ("notify",), **script), _task("notify")]


def sample_dags() -> list[dict[str, Any]]:
    """The sample DAGs as seed mappings (a new list each call, safe to change)."""
    nightly = [
        {"dag_id": dag_id, "tags": ["nightly"], "owners": ["finance-data"],
         "schedule_interval": "0 2 * * *", "description": description, "tasks": tasks}
        for dag_id, description, tasks in (
            ("nightly_sales", "Aggregates yesterday's sales.", _nightly(
                "aggregate", outcome="failed",
                log="ValueError: bad row 1187: amount 'N/A' is not a number")),
            ("nightly_inventory", "Reconciles stock levels with the warehouses.", _nightly(
                "reconcile", outcome=["failed", "success"],
                log="ConnectionResetError: [Errno 104] Connection reset by peer")),
            ("nightly_billing", "Sends the day's invoices.", _nightly(
                "invoice", retries=1, outcome=["failed", "failed", "success"],
                log="TimeoutError: the invoicing service did not answer within 30 s")),
        )
    ]
    return [
        {"dag_id": "etl_daily", "tags": ["etl", "daily"], "owners": ["data-eng"],
         "schedule_interval": "0 0 * * *",
         "description": "Extracts orders, transforms them and loads the warehouse.",
         "tasks": [_task("extract", ("transform",)),
                   _task("transform", ("load",), retries=1, outcome=["failed", "success"],
                         log="KeyError: 'customer_id'"),
                   _task("load")]},
        {"dag_id": "reporting", "tags": ["reporting", "daily"], "owners": ["analytics"],
         "schedule_interval": "0 1 * * *", "description": "Builds and mails the daily report.",
         "tasks": [_task("build_report", ("email_report",), "BashOperator"),
                   _task("email_report", (), "EmailOperator", outcome="failed",
                         log="SMTPServerDisconnected: Connection unexpectedly closed"),
                   _task("archive", (), "EmptyOperator", outcome="skipped")]},
        {"dag_id": "ml_training", "tags": ["ml"], "owners": ["ml-team"],
         "schedule_interval": None, "description": "Trains and evaluates the model.",
         "tasks": [_task("train_model", (), "KubernetesPodOperator", retries=3, pool="gpu_pool",
                         queue="gpu", outcome=["failed", "success"],
                         log="the GPU node was preempted"),
                   _task("evaluate")]},
        {"dag_id": "partitioned_load", "tags": ["etl"], "owners": ["data-eng"],
         "schedule_interval": "@daily", "description": "Loads each partition in a mapped task.",
         "tasks": [_task("list_partitions", ("load_partition",)),
                   _task("load_partition", ("publish",), retries=1), _task("publish")]},
        *nightly,
        {"dag_id": "legacy_export", "is_paused": True, "tags": ["deprecated"],
         "owners": ["data-eng"], "schedule_interval": None,
         "description": "The old export, paused until it is removed.",
         "tasks": [{"task_id": "export", "downstream": ["upload"], "operator": "BashOperator"},
                   {"task_id": "upload", "operator": "BashOperator"}]},
    ]

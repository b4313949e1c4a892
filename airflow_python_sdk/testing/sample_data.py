"""A small, fixed Airflow history to test against: three DAGs, tasks in many states.

What tests can rely on:
- etl_daily at 2026-11-26: extract succeeded; transform failed twice (two tries, each log long
  enough to come in several chunks); load is upstream_failed and has no log.
- etl_daily at 2026-11-27: extract is running.
- reporting at 2026-11-26: build_report succeeded and has two extra links; email_report failed
  (a log of several chunks) and has one extra link; archive was skipped.
- ml_training at 2026-11-25: train_model is up_for_retry; evaluate is scheduled.
- partitioned_load at 2026-11-26: list_partitions succeeded; load_partition is mapped over five
  partitions (map_index 0-4): 0-2 succeeded, 3 failed, 4 failed on its second try; publish is
  upstream_failed.
- Task graph (for upstream/downstream): extract -> transform -> load; build_report ->
  email_report; list_partitions -> load_partition -> publish.
- XCom: extract at 2026-11-26 returned 1200 (`return_value`); transform pushed `return_value`
  and `bad_rows`; build_report returned the report's URL.
- Every DAG run is made from these: one per DAG and date, id `scheduled__<date>`.
- Failures of the last day, dated from the moment the data is made (`recent_failures`): three
  nightly DAGs (nightly_sales, nightly_inventory, nightly_billing) each have a run that started
  about six hours ago with a failed task (nightly_billing's after two tries): aggregate on a bad
  row (ValueError), reconcile on a reset connection, invoice on a timeout.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Optional

SAMPLE_DATE = "2026-11-26T00:00:00+00:00"


def _log(task: str, started: str, steps: list[str], outcome: str) -> str:
    """An Airflow-looking log: header lines, one line per step, then the outcome."""
    lines = [
        f"[{started}] {{taskinstance.py:2614}} INFO - Dependencies all met for {task}",
        f"[{started}] {{taskinstance.py:2867}} INFO - Starting attempt",
        f"[{started}] {{standard_task_runner.py:72}} INFO - Started process to run {task}",
    ]
    lines += [f"[{started}] {{subprocess.py:106}} INFO - {step}" for step in steps]
    lines.append(f"[{started}] {{taskinstance.py:1225}} {outcome}")
    return "\n".join(lines) + "\n"


def _rows(what: str, count: int) -> list[str]:
    return [f"{what} batch {number} of {count}" for number in range(1, count + 1)]


def sample_task_instances(now: Optional[datetime] = None) -> list[dict[str, Any]]:
    """The sample data as seed mappings (a new list each call, safe to change); the last day's
    failures are dated from `now` (the current time when None)."""
    return [*_fixed_history(), *_mapped_task(), *recent_failures(now)]


def _mapped_task() -> list[dict[str, Any]]:
    common = {"dag_id": "partitioned_load", "execution_date": SAMPLE_DATE,
              "operator": "PythonOperator"}
    partitions: list[dict[str, Any]] = []
    for index in range(5):
        ok = index < 3
        partitions.append({
            **common,
            "task_id": "load_partition",
            "map_index": index,
            "state": "success" if ok else "failed",
            "start_date": f"2026-11-26T00:1{index}:00+00:00",
            "end_date": f"2026-11-26T00:1{index}:30+00:00",
            "duration": 30.0,
            "max_tries": 1,
            "downstream": ["publish"],
            "logs": {1: _log(f"load_partition[{index}]", f"2026-11-26T00:1{index}:00.000+0000",
                             [*_rows(f"Loaded partition {index}", 10)],
                             "INFO - Marking task as SUCCESS." if ok
                             else "ERROR - Task failed with exception; marking as FAILED.")},
        })
    last = partitions[4]
    last["logs"][2] = _log("load_partition[4]", "2026-11-26T00:20:00.000+0000",
                           [*_rows("Loaded partition 4", 10), "TimeoutError"],
                           "ERROR - Task failed with exception; marking as FAILED.")
    last["tries"] = [{"state": "up_for_retry"}]
    last.update(start_date="2026-11-26T00:20:00+00:00", end_date="2026-11-26T00:20:30+00:00")
    return [
        {**common, "task_id": "list_partitions", "state": "success", "try_number": 1,
         "start_date": "2026-11-26T00:05:00+00:00", "end_date": "2026-11-26T00:05:10+00:00",
         "duration": 10.0, "downstream": ["load_partition"]},
        *partitions,
        {**common, "task_id": "publish", "state": "upstream_failed", "try_number": 0},
    ]


def recent_failures(now: Optional[datetime] = None) -> list[dict[str, Any]]:
    """Failed task instances of three nightly DAGs, in runs that started about six hours before
    `now` (the current time when None), for jobs that look for the last day's failures."""
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    run = now.replace(minute=0, second=0, microsecond=0) - timedelta(hours=6)

    def at(minutes: int) -> str:
        return (run + timedelta(minutes=minutes)).isoformat()

    items: list[dict[str, Any]] = []
    # Each fails differently, so a job can tell a data problem from a passing outage.
    for number, (dag_id, failing, error) in enumerate(
        [("nightly_sales", "aggregate", "ValueError: bad row 1187: amount 'N/A' is not a number"),
         ("nightly_inventory", "reconcile",
          "ConnectionResetError: [Errno 104] Connection reset by peer"),
         ("nightly_billing", "invoice",
          "TimeoutError: the invoicing service did not answer within 30 s")]
    ):
        common = {"dag_id": dag_id, "execution_date": run.isoformat(), "operator": "PythonOperator"}
        start = 10 * number
        items.append({**common, "task_id": "extract", "state": "success", "try_number": 1,
                      "start_date": at(start), "end_date": at(start + 2), "duration": 120.0,
                      "downstream": [failing]})
        failed: dict[str, Any] = {
            **common, "task_id": failing, "state": "failed", "try_number": 1,
            "start_date": at(start + 3), "end_date": at(start + 4), "duration": 60.0,
            "hostname": f"worker-{number + 1}", "downstream": ["notify"],
            "logs": {1: _log(failing, at(start + 3), [*_rows("Read", 10), error],
                             "ERROR - Task failed with exception; marking as FAILED.")},
        }
        if dag_id == "nightly_billing":
            failed.update(try_number=2, max_tries=1, tries=[{"state": "up_for_retry"}])
            failed["logs"][2] = failed["logs"][1]
        items.append(failed)
        items.append({**common, "task_id": "notify", "state": "upstream_failed", "try_number": 0})
    return items


def _fixed_history() -> list[dict[str, Any]]:
    return [
        {
            "dag_id": "etl_daily",
            "task_id": "extract",
            "execution_date": SAMPLE_DATE,
            "state": "success",
            "start_date": "2026-11-26T00:00:05+00:00",
            "end_date": "2026-11-26T00:01:05+00:00",
            "duration": 60.0,
            "try_number": 1,
            "hostname": "worker-1",
            "job_id": 101,
            "pid": 4101,
            "operator": "PythonOperator",
            "queued_dttm": "2026-11-26T00:00:01+00:00",
            "downstream": ["transform"],
            "xcom": {"return_value": 1200},
            "logs": {
                1: _log(
                    "extract",
                    "2026-11-26T00:00:05.000+0000",
                    ["Fetched 1200 rows from orders"],
                    "INFO - Marking task as SUCCESS.",
                )
            },
        },
        {
            "dag_id": "etl_daily",
            "task_id": "transform",
            "execution_date": SAMPLE_DATE,
            "state": "failed",
            "start_date": "2026-11-26T00:06:10+00:00",
            "end_date": "2026-11-26T00:07:40+00:00",
            "duration": 90.0,
            "try_number": 2,
            "max_tries": 1,
            "hostname": "worker-2",
            "job_id": 103,
            "pid": 4203,
            "operator": "PythonOperator",
            "queued_dttm": "2026-11-26T00:06:00+00:00",
            "downstream": ["load"],
            "xcom": {"return_value": {"rows": 2700}, "bad_rows": 3},
            "tries": [
                {
                    "state": "up_for_retry",
                    "start_date": "2026-11-26T00:01:10+00:00",
                    "end_date": "2026-11-26T00:02:40+00:00",
                    "duration": 90.0,
                    "job_id": 102,
                    "pid": 4202,
                    "queued_dttm": "2026-11-26T00:01:00+00:00",
                }
            ],
            "logs": {
                1: _log(
                    "transform",
                    "2026-11-26T00:01:10.000+0000",
                    [*_rows("Transformed", 20), "KeyError: 'customer_id'"],
                    "ERROR - Task failed with exception; marking as UP_FOR_RETRY.",
                ),
                2: _log(
                    "transform",
                    "2026-11-26T00:06:10.000+0000",
                    [*_rows("Transformed", 27), "KeyError: 'customer_id'"],
                    "ERROR - Task failed with exception; marking as FAILED.",
                ),
            },
        },
        {
            "dag_id": "etl_daily",
            "task_id": "load",
            "execution_date": SAMPLE_DATE,
            "state": "upstream_failed",
            "try_number": 0,
            "operator": "PythonOperator",
        },
        {
            "dag_id": "etl_daily",
            "task_id": "extract",
            "execution_date": "2026-11-27T00:00:00+00:00",
            "state": "running",
            "start_date": "2026-11-27T00:00:04+00:00",
            "try_number": 1,
            "hostname": "worker-1",
            "job_id": 111,
            "pid": 4311,
            "operator": "PythonOperator",
            "queued_dttm": "2026-11-27T00:00:01+00:00",
            "logs": {
                1: _log(
                    "extract",
                    "2026-11-27T00:00:04.000+0000",
                    _rows("Fetched", 3),
                    "INFO - Still running.",
                )
            },
        },
        {
            "dag_id": "reporting",
            "task_id": "build_report",
            "execution_date": SAMPLE_DATE,
            "state": "success",
            "start_date": "2026-11-26T01:00:02+00:00",
            "end_date": "2026-11-26T01:02:02+00:00",
            "duration": 120.0,
            "try_number": 1,
            "hostname": "worker-3",
            "job_id": 201,
            "pid": 5201,
            "operator": "BashOperator",
            "downstream": ["email_report"],
            "xcom": {"return_value": "https://reports.example.com/daily/2026-11-26"},
            "logs": {
                1: _log(
                    "build_report",
                    "2026-11-26T01:00:02.000+0000",
                    ["Rendered report.html"],
                    "INFO - Marking task as SUCCESS.",
                )
            },
            "extra_links": [
                {
                    "name": "Report",
                    "href": "https://reports.example.com/daily/2026-11-26",
                    "class_ref": {"module_path": "reporting.links", "class_name": "ReportLink"},
                },
                {
                    "name": "Dashboard",
                    "href": "https://dashboards.example.com/d/daily",
                    "class_ref": {"module_path": "reporting.links", "class_name": "DashboardLink"},
                },
            ],
        },
        {
            "dag_id": "reporting",
            "task_id": "email_report",
            "execution_date": SAMPLE_DATE,
            "state": "failed",
            "start_date": "2026-11-26T01:02:10+00:00",
            "end_date": "2026-11-26T01:02:40+00:00",
            "duration": 30.0,
            "try_number": 1,
            "hostname": "worker-3",
            "job_id": 202,
            "pid": 5202,
            "operator": "EmailOperator",
            "logs": {
                1: _log(
                    "email_report",
                    "2026-11-26T01:02:10.000+0000",
                    [*_rows("Sent", 12), "SMTPServerDisconnected: Connection unexpectedly closed"],
                    "ERROR - Task failed with exception; marking as FAILED.",
                )
            },
            "extra_links": [
                {
                    "name": "Mail server status",
                    "href": "https://status.example.com/smtp",
                    "class_ref": {"module_path": "reporting.links", "class_name": "StatusLink"},
                },
            ],
        },
        {
            "dag_id": "reporting",
            "task_id": "archive",
            "execution_date": SAMPLE_DATE,
            "state": "skipped",
            "try_number": 0,
            "operator": "EmptyOperator",
        },
        {
            "dag_id": "ml_training",
            "task_id": "train_model",
            "execution_date": "2026-11-25T00:00:00+00:00",
            "state": "up_for_retry",
            "start_date": "2026-11-25T00:10:00+00:00",
            "end_date": "2026-11-25T00:40:00+00:00",
            "duration": 1800.0,
            "try_number": 1,
            "max_tries": 3,
            "hostname": "gpu-1",
            "job_id": 301,
            "pid": 6301,
            "pool": "gpu_pool",
            "queue": "gpu",
            "priority_weight": 10,
            "operator": "KubernetesPodOperator",
            "logs": {
                1: _log(
                    "train_model",
                    "2026-11-25T00:10:00.000+0000",
                    ["Epoch 1 of 5", "CUDA out of memory"],
                    "ERROR - Task failed; marking as UP_FOR_RETRY.",
                )
            },
        },
        {
            "dag_id": "ml_training",
            "task_id": "evaluate",
            "execution_date": "2026-11-25T00:00:00+00:00",
            "state": "scheduled",
            "try_number": 0,
            "operator": "PythonOperator",
        },
    ]

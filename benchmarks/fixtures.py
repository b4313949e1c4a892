"""Canned payloads shared by the server and every measuring script.

The task instance document follows our spec's TaskInstance (21 fields, four date-times plus two
in the nested sla_miss) with values like a real Airflow 2 answer. Every field is non-null so
that the original client, whose schema marks nothing nullable, accepts it with type checks on.
"""

from __future__ import annotations

import json

TASK_INSTANCE: dict[str, object] = {
    "task_id": "extract_orders",
    "dag_id": "daily_sales_etl",
    "execution_date": "2026-11-26T00:00:00+00:00",
    "start_date": "2026-11-28T14:29:11.995132+00:00",
    "end_date": "2026-11-28T14:29:12.260026+00:00",
    "duration": 0.264894,
    "state": "success",
    "try_number": 1,
    "max_tries": 2,
    "hostname": "worker-3.airflow.svc.cluster.local",
    "unixname": "airflow",
    "job_id": 48213,
    "pool": "default_pool",
    "pool_slots": 1,
    "queue": "default",
    "priority_weight": 3,
    "operator": "BashOperator",
    "queued_dttm": "2026-11-28T14:29:09.896247+00:00",
    "pid": 25565,
    "executor_config": "{}",
    "sla_miss": {
        "task_id": "extract_orders",
        "dag_id": "daily_sales_etl",
        "execution_date": "2026-11-26T00:00:00+00:00",
        "email_sent": False,
        "timestamp": "2026-11-28T15:00:00.102938+00:00",
        "description": "SLA of 1:00:00 missed for extract_orders",
        "notification_sent": True,
    },
}

TASK_INSTANCE_BYTES: bytes = json.dumps(TASK_INSTANCE).encode()

# The body a bulk state change sends: only the field named in update_mask.
STATE_CHANGE: dict[str, object] = {"state": "success"}

DAG_ID = "daily_sales_etl"
TASK_ID = "extract_orders"
EXECUTION_DATE = "2026-11-26T00:00:00+00:00"

# One log line; no character in it needs JSON escaping except the newline.
LOG_LINE = b"[2026-11-28, 14:29:12 UTC] {subprocess.py:93} INFO - line of output from extract\n"
LOG_BLOCK_LINES = 1024
MIB = 1024 * 1024


def log_text_size(lines: int) -> int:
    """Length in bytes of the plain log text with this many lines."""
    return lines * len(LOG_LINE)


def lines_for(size_bytes: int) -> int:
    """Number of whole lines that make a log of about size_bytes."""
    return max(1, size_bytes // len(LOG_LINE))


def log_try_number(mib: int) -> int:
    """The try number that asks the canned server for a log of `mib` MiB (0: a few kilobytes).
    Try numbers start at 1, and the SDK refuses 0 before sending: try 1 is the small log, try
    n + 1 a log of n MiB."""
    return mib + 1


def log_mib(try_number: int) -> int:
    """The size in MiB of the log the canned server answers for `try_number`."""
    return max(try_number - 1, 0)


# The same task instance as Airflow 3 reports it, for the official apache-airflow-client's
# TaskInstanceResponse (a reference for the model benchmark only: its schema is Airflow 3's).
TASK_INSTANCE_AIRFLOW3: dict[str, object] = {
    "id": "0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b",
    "task_id": "extract_orders",
    "dag_id": "daily_sales_etl",
    "dag_run_id": "scheduled__2026-11-26T00:00:00+00:00",
    "map_index": -1,
    "logical_date": "2026-11-26T00:00:00Z",
    "run_after": "2026-11-27T00:00:00Z",
    "start_date": "2026-11-28T14:29:11.995132Z",
    "end_date": "2026-11-28T14:29:12.260026Z",
    "duration": 0.264894,
    "state": "success",
    "try_number": 1,
    "max_tries": 2,
    "task_display_name": "extract_orders",
    "dag_display_name": "daily_sales_etl",
    "hostname": "worker-3.airflow.svc.cluster.local",
    "unixname": "airflow",
    "pool": "default_pool",
    "pool_slots": 1,
    "queue": "default",
    "priority_weight": 3,
    "operator": "BashOperator",
    "operator_name": "BashOperator",
    "queued_when": "2026-11-28T14:29:09.896247Z",
    "scheduled_when": "2026-11-28T14:29:08.512734Z",
    "pid": 25565,
    "executor": None,
    "executor_config": "{}",
    "note": None,
    "rendered_map_index": None,
    "rendered_fields": {"bash_command": "python -m jobs.extract_orders"},
    "trigger": None,
    "triggerer_job": None,
    "dag_version": None,
}

TASK_INSTANCE_AIRFLOW3_BYTES: bytes = json.dumps(TASK_INSTANCE_AIRFLOW3).encode()

"""Answers and values the core tests share: spec-shaped payloads, a real Airflow answer, problems.

The real answers were captured from Apache Airflow 2.10 and are kept under test/data; they carry
fields this API's spec does not know, which is exactly what forward compatibility is about.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any, Dict, Optional
from urllib.parse import unquote

from support.paths import RECORDED_ANSWERS, REPO_ROOT

API_PREFIX = "/api/v1"
SEED_DOCUMENT = REPO_ROOT / "test" / "data" / "seed" / "TaskInstanceApi.md"

USERNAME = "admin"
PASSWORD = "pa55:w0rd with colon"  # a colon inside the password must survive basic auth

EXECUTION_DATE = dt.datetime(2026, 11, 26, 0, 0, tzinfo=dt.timezone.utc)
# With a positive offset, so that a "+" has to travel through the path.
EXECUTION_DATE_PLUS = dt.datetime(
    2026, 11, 26, 5, 30, 15, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30))
)

# RFC 3339 section 5.6 date-time, as a whole string.
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

TASK_STATES = [
    "success",
    "running",
    "failed",
    "upstream_failed",
    "skipped",
    "up_for_retry",
    "up_for_reschedule",
    "queued",
    "none",
    "scheduled",
    "deferred",
    "removed",
    "restarting",
    "sensing",
    "shutdown",
]

# Every field the spec gives a task instance, with a value of the spec's type.
TASK_INSTANCE_PAYLOAD: Dict[str, Any] = {
    "task_id": "echo_ok",
    "dag_id": "feas_dag",
    "execution_date": "2026-11-26T00:00:00+00:00",
    "start_date": "2026-11-28T14:29:11.995132+00:00",
    "end_date": "2026-11-28T14:29:12.260026+00:00",
    "duration": 0.264894,
    "state": "success",
    "try_number": 1,
    "max_tries": 0,
    "hostname": "vm",
    "unixname": "root",
    "job_id": 2,
    "pool": "default_pool",
    "pool_slots": 1,
    "queue": "default",
    "priority_weight": 1,
    "operator": "BashOperator",
    "queued_dttm": "2026-11-28T14:29:09.896247+00:00",
    "pid": 25565,
    "executor_config": "{}",
    "sla_miss": {
        "task_id": "echo_ok",
        "dag_id": "feas_dag",
        "execution_date": "2026-11-26T00:00:00+00:00",
        "email_sent": False,
        "timestamp": "2026-11-28T15:00:00+00:00",
        "description": None,
        "notification_sent": True,
    },
}

EXTRA_LINKS_PAYLOAD: Dict[str, Any] = {
    "extra_links": [
        {
            "class_ref": {"module_path": "airflow.operators.bash", "class_name": "BashOperator"},
            "name": "Logs",
            "href": "https://airflow.example/logs/1",
        },
        {
            "class_ref": {"module_path": "airflow.providers.x", "class_name": "XLink"},
            "name": "Console",
            "href": "https://console.example/run/1",
        },
    ]
}

LOG_CHUNK_PAYLOAD: Dict[str, Any] = {
    "content": "[2026-11-28T14:29:12.002+0000] INFO - Starting attempt 1 of 1\n",
    "continuation_token": "eyJlbmRfb2ZfbG9nIjpmYWxzZSwibG9nX3BvcyI6NjJ9.a+b/c=",
}


def real_answer(name: str) -> Any:
    """A JSON answer captured from a real Airflow server."""
    return json.loads((RECORDED_ANSWERS / name).read_text(encoding="utf-8"))


def real_text(name: str) -> str:
    return (RECORDED_ANSWERS / name).read_text(encoding="utf-8")


def problem(status: int, title: str, detail: Optional[str] = None) -> Dict[str, Any]:
    """An RFC 7807 problem shaped like the ones Airflow sends."""
    return {
        "type": f"https://airflow.apache.org/docs/errors#{status}",
        "title": title,
        "status": status,
        "detail": detail,
    }


def parse_rfc3339(text: str) -> dt.datetime:
    """Parse an RFC 3339 date-time, failing the test if the text is not one.

    Written out rather than left to `datetime.fromisoformat`, which before Python 3.11 takes
    neither "Z" nor fractions of other than 3 or 6 digits.
    """
    match = RFC3339.match(text)
    assert match, f"not an RFC 3339 date-time: {text!r}"
    fraction, offset = match.group(1), match.group(2)
    base = dt.datetime.strptime(text[:19].replace("t", "T"), "%Y-%m-%dT%H:%M:%S")
    micro = int((fraction[1:] + "000000")[:6]) if fraction else 0
    if offset in ("Z", "z"):
        zone = dt.timezone.utc
    else:
        sign = -1 if offset[0] == "-" else 1
        zone = dt.timezone(sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[4:6])))
    return base.replace(microsecond=micro, tzinfo=zone)


def task_instance_path_values(raw_path: str) -> list:
    """The decoded segments of a raw path after /api/v1/dags/, each checked to be opaque.

    A raw segment may not be "." or "..": HTTP stacks collapse those before routing.
    """
    prefix = API_PREFIX + "/dags/"
    assert raw_path.startswith(prefix), raw_path
    raw_segments = raw_path[len(prefix) :].split("/")
    for segment in raw_segments:
        assert segment not in (".", ".."), f"dot segment sent unencoded in {raw_path!r}"
    return [unquote(segment) for segment in raw_segments]

"""Answers recorded from real Airflow servers, replayed by the recording server.

v2_* were recorded from Airflow 2.10.5 under /api/v1, v3_* from Airflow 3.3.2 under /api/v2
(test/data/real_airflow_responses/). Airflow 2 sends errors as application/problem+json and
Airflow 3 as application/json, as the real servers did.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from support.paths import RECORDED_ANSWERS
from support.recording_server import Reply

RECORDED = RECORDED_ANSWERS

DAG_ID = "feas_dag"
# The date of the recorded runs: sched_run_1126 on both servers.
EXECUTION_DATE = "2026-11-26T00:00:00+00:00"
RUN_ID = "sched_run_1126"
USERNAME = "admin"
PASSWORD = "admin-secret"
TOKEN = "header.payload.signature-of-the-first-token"

# The DAG and DAG run answers (v2_dagops_*, v3_dagops_*) are of the DAGs sdk_dag_ops and
# sdk_dag_ops_spare (integration/real_airflow/dags/): the run the tests address, its date, and
# the date of the spare DAG's run.
DAG_OPS_DAG_ID = "sdk_dag_ops"
DAG_OPS_RUN = "dagops_run_1"
DAG_OPS_DATE = dt.datetime(2026, 11, 28, tzinfo=dt.timezone.utc)
DAG_OPS_SPARE_DATE = "2026-11-29T00:00:00+00:00"


def document(name: str) -> Any:
    return json.loads((RECORDED / name).read_bytes())


def recorded(name: str, status: int = 200) -> Reply:
    """The recorded body of `name`, byte for byte, with the content type its server used."""
    body = (RECORDED / name).read_bytes()
    problem = name.startswith("v2_") and status >= 400
    content_type = "application/problem+json" if problem else "application/json"
    return Reply(status, body, [("Content-Type", content_type)])


def token_reply(token: str = TOKEN) -> Reply:
    """Airflow 3's answer to POST /auth/token (the recorded one has its token redacted)."""
    return Reply.json({"access_token": token}, status=201)

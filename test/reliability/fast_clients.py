"""What the reliability tests share: a sample answer, credentials, and clients with small bounds.

Every client made here has a timeout under a second and a retry policy whose waits are a few
hundredths of a second, so that a fault that is retried or waited on costs little and a hang
fails the test instead of the suite.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from typing import Any, Optional
from urllib.parse import quote

import airflow_python_sdk
from airflow_python_sdk.transport.retry import default_retry

API_PREFIX = "/api/v1"
USERNAME = "night-job"
# Letters that change under every encoding a leak could go through: UTF-8, base64, quoting.
PASSWORD = "s3cr\u00e9t:P@ss/w0rd+%=="
TOKEN = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
# Every form the secret could take on its way out.
SECRETS = {
    "password": PASSWORD,
    "password base64": base64.b64encode(PASSWORD.encode()).decode(),
    "user:password base64": TOKEN,
    "password url-quoted": quote(PASSWORD, safe=""),
    "password repr": repr(PASSWORD)[1:-1],
}
EXECUTION_DATE = dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)
# (connect, read) seconds: long enough for loopback on a loaded 2-core machine, short enough to
# keep faults cheap; the tests of timeouts themselves pass their own smaller values.
FAST_TIMEOUT = (2.0, 2.0)

TASK_INSTANCE = {
    "task_id": "extract",
    "dag_id": "etl_daily",
    "execution_date": "2026-11-26T00:00:00+00:00",
    "state": "success",
    "try_number": 1,
    "duration": 60.0,
}


def task_instance_body(**changes: Any) -> bytes:
    return json.dumps({**TASK_INSTANCE, **changes}).encode()


def fast_retry(retries: int = 3, **options: Any) -> Any:
    """The SDK's policy with waits of hundredths of a second."""
    options.setdefault("backoff_factor", 0.01)
    return default_retry(retries, **options)


def make_configuration(host: str, *, retries: Any = None, password: Optional[str] = PASSWORD,
                       timeout: Any = FAST_TIMEOUT) -> airflow_python_sdk.Configuration:
    configuration = airflow_python_sdk.Configuration(
        host=host.rstrip("/") + API_PREFIX, username=USERNAME, password=password
    )
    configuration.timeout = timeout
    configuration.retries = fast_retry() if retries is None else retries
    return configuration

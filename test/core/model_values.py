"""What the model tests share: an answer run through the client as a received one is, and
Hypothesis strategies of the values a task instance may hold."""

from __future__ import annotations

import datetime as dt
import json
import types

from core.payloads import TASK_STATES
from hypothesis import strategies as st

from airflow_python_sdk.model.sla_miss import SLAMiss
from airflow_python_sdk.model.task_state import TaskState

__all__ = ["aware_datetimes", "deserialize", "task_instances"]


def deserialize(client, payload, response_type):
    """Run a JSON text through ApiClient.deserialize the way a received answer is."""
    response = types.SimpleNamespace(
        data=json.dumps(payload),
        status=200,
        headers={"Content-Type": "application/json"},
        getheader=lambda name, default=None: "application/json",
    )
    return client.deserialize(response, (response_type,), True)


aware_datetimes = st.datetimes(
    min_value=dt.datetime(1970, 1, 1),
    max_value=dt.datetime(2100, 1, 1),
    timezones=st.sampled_from(
        [
            dt.timezone.utc,
            dt.timezone(dt.timedelta(hours=5, minutes=30)),
            dt.timezone(-dt.timedelta(hours=8)),
        ]
    ),
)
task_instances = st.fixed_dictionaries(
    {},
    optional={
        "task_id": st.text(),
        "dag_id": st.text(),
        "execution_date": aware_datetimes,
        "start_date": st.one_of(st.none(), aware_datetimes),
        "end_date": st.one_of(st.none(), aware_datetimes),
        "duration": st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
        "state": st.sampled_from(TASK_STATES).map(TaskState),
        "try_number": st.integers(-(2**31), 2**31),
        "max_tries": st.integers(0, 100),
        "hostname": st.text(),
        "job_id": st.one_of(st.none(), st.integers(0, 2**40)),
        "pool_slots": st.integers(0, 64),
        "queue": st.one_of(st.none(), st.text()),
        "queued_dttm": st.one_of(st.none(), aware_datetimes),
        "pid": st.one_of(st.none(), st.integers(0, 2**22)),
        "executor_config": st.text(),
        "sla_miss": st.builds(
            SLAMiss,
            dag_id=st.text(),
            email_sent=st.booleans(),
            timestamp=aware_datetimes,
            description=st.one_of(st.none(), st.text()),
        ),
    },
)

"""From the execution date the spec addresses a task instance by, to the DAG run id real
servers address it by.

Airflow 2 filters runs with `execution_date_gte/lte`, Airflow 3 with `logical_date_gte/lte`
(Airflow 3 silently ignores the execution_date filters). Asking for runs between the same
instant twice gives the run of that date. Each answer is remembered per client, keyed by the
server, the DAG and the instant, so a job that makes several calls about one run asks once; the
runs used least recently are forgotten beyond `REMEMBERED_RUNS`, so a job that walks through
years of runs keeps memory flat.

Instants are compared as the time since year 1 in UTC (a `timedelta`), never by converting to
UTC: "0001-01-01T00:00:00+01:00" is a valid date-time whose UTC form Python cannot hold.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, timedelta
from typing import Callable, Optional

from airflow_python_sdk._errors import ApiValueError, ResponseValueError
from airflow_python_sdk._internal.datetimes import format_datetime, parse_datetime
from airflow_python_sdk._operation import encode_path_segment
from airflow_python_sdk.dialects.errors import ambiguous_run, run_not_found
from airflow_python_sdk.dialects.wire import Answer

__all__ = ["REMEMBERED_RUNS", "RunLookup", "instant_key", "instant_of"]

# Run ids remembered per client (each entry costs a few hundred bytes).
REMEMBERED_RUNS = 4096
_YEAR_ONE = datetime(1, 1, 1)

# Two are enough to tell "exactly one run" from "ambiguous".
_LIMIT = "2"

# Sends a GET of (path, query) to the server's API root and answers its JSON.
Fetch = Callable[[str, list[tuple[str, str]]], Answer]


def instant_of(value: object) -> datetime:
    """The execution date argument (already checked by `build_request`) as an aware datetime."""
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = parse_datetime(str(value))
        except ValueError:
            raise ApiValueError(
                f"Invalid value for `execution_date`: {value!r} is not an RFC 3339 date-time",
                path_to_item=["execution_date"],
            ) from None
    if parsed.tzinfo is None:
        raise ApiValueError(
            f"Invalid value for `execution_date`: {value!r} has no time zone",
            path_to_item=["execution_date"],
        )
    return parsed


def instant_key(value: datetime) -> timedelta:
    """The instant an aware datetime names, as the time since year 1 began in UTC: equal for
    equal instants whatever their offsets, and defined for every datetime Python holds."""
    offset = value.utcoffset() or timedelta(0)
    return value.replace(tzinfo=None) - _YEAR_ONE - offset


class RunLookup:
    """Finds and remembers run ids; one per client, safe to share between threads."""

    def __init__(self, date_filter: str, date_fields: tuple[str, ...]) -> None:
        self._date_filter = date_filter  # "execution_date" or "logical_date"
        self._date_fields = date_fields  # the run fields that carry the date, in order
        self._lock = threading.Lock()
        self._runs: OrderedDict[tuple[str, str, timedelta], str] = OrderedDict()
        self.capacity = REMEMBERED_RUNS

    def __len__(self) -> int:
        return len(self._runs)

    def run_id(self, base: str, dag_id: str, when: datetime, fetch: Fetch) -> str:
        known = self.remembered(base, dag_id, when)
        if known is not None:
            return known
        # Asked outside the lock: a slow server must not hold up calls about other runs. Two
        # threads asking at once both ask the server and store the same answer.
        run_id = self._ask(dag_id, when, fetch)
        with self._lock:
            self._runs[(base, dag_id, instant_key(when))] = run_id
            while len(self._runs) > self.capacity:
                self._runs.popitem(last=False)
        return run_id

    def remembered(self, base: str, dag_id: str, when: datetime) -> Optional[str]:
        """The run id already known for this date, if any."""
        key = (base, dag_id, instant_key(when))
        with self._lock:
            known = self._runs.get(key)
            if known is not None:
                self._runs.move_to_end(key)
            return known

    def forget(self, base: str, dag_id: str, when: datetime) -> None:
        """Drop a remembered run (it was not found any more: deleted, or made again)."""
        with self._lock:
            self._runs.pop((base, dag_id, instant_key(when)), None)

    def _ask(self, dag_id: str, when: datetime, fetch: Fetch) -> str:
        text = format_datetime(when)
        path = f"/dags/{encode_path_segment(dag_id)}/dagRuns"
        query = [
            (f"{self._date_filter}_gte", text),
            (f"{self._date_filter}_lte", text),
            ("limit", _LIMIT),
        ]
        answer = fetch(path, query)
        runs = answer.document.get("dag_runs") if isinstance(answer.document, dict) else None
        if not isinstance(runs, list):
            raise ResponseValueError("the list of DAG runs has no `dag_runs` array",
                                     status=answer.status, body=None, method="GET",
                                     url=answer.url)
        # Only runs whose date really is the one asked for: a server that ignored the filter
        # must not make the SDK act on another run.
        wanted = instant_key(when)
        matching = [
            run["dag_run_id"] for run in runs
            if isinstance(run, dict) and isinstance(run.get("dag_run_id"), str)
            and self._date_of(run) == wanted
        ]
        if not matching:
            raise run_not_found(
                f"DAG {dag_id!r} has no run with execution date {text}",
                method="GET",
                url=answer.url,
            )
        if len(matching) > 1:
            raise ambiguous_run(
                f"DAG {dag_id!r} has several runs with execution date {text} "
                f"({', '.join(run_id[:100] for run_id in matching)}); a task instance "
                "addressed by execution date would be ambiguous",
                method="GET",
                url=answer.url,
            )
        return str(matching[0])

    def _date_of(self, run: dict[str, object]) -> Optional[timedelta]:
        for field in self._date_fields:
            value = run.get(field)
            if isinstance(value, str):
                try:
                    return instant_key(parse_datetime(value))
                except (ValueError, OverflowError):
                    return None
        return None

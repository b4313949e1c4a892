"""A loopback Airflow 3 list of DAG runs or task instances that changes while it is walked.

It answers `GET /api/v2/dags/{dag}/dagRuns` and `.../dagRuns/~/taskInstances` as Airflow 3.3.2
does (airflow/api_fastapi/core_api/routes/public/dag_run.py and common/cursors.py):

- with `cursor` (even empty): keyset pages in (logical_date, id) order, the rows strictly after
  the cursor's key; `next_cursor` encodes the page's last row, null on the last page;
  `total_entries` is capped at `total_entries_limit` (Airflow's EXACT_COUNT_LIMIT);
- without it: `offset`/`limit` pages of the same order, an exact `total_entries`, and
  `next_cursor`/`total_entries_limit` null, as 3.3.2 answers offset requests;
- `cursor_aware=False` plays an Airflow 3 before 3.3, which ignores `cursor` (and then pages by
  offset, 0 when none is sent).

`between_pages(number, rows)` runs after each list answer is made and may change the rows: a
backfill adding runs before the walk's position, a clean-up deleting runs already read, a retry
giving a task instance a new id. `requests` keeps every list request's query.
"""

from __future__ import annotations

import base64
import json
import threading
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Optional

from support.recording_server import RecordedRequest, Reply

EXACT_COUNT_LIMIT = 50_000
Row = dict[str, Any]
Change = Callable[[int, list[Row]], None]


def order_key(row: Row) -> tuple[str, str]:
    return (row["logical_date"], row["id"])


def encode_cursor(row: Row) -> str:
    raw = json.dumps(list(order_key(row))).encode()
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(token: str) -> tuple[str, str]:
    padded = token + "=" * (-len(token) % 4)
    first, second = json.loads(base64.urlsafe_b64decode(padded))
    return (first, second)


class KeysetLists:
    """A handler for `RecordingServer` serving `rows` (a list it sorts and changes)."""

    def __init__(self, rows: list[Row], items: str = "dag_runs", *,
                 between_pages: Optional[Change] = None, cursor_aware: bool = True) -> None:
        self.rows = rows
        self.items = items
        self.between_pages = between_pages
        self.cursor_aware = cursor_aware
        self.requests: list[dict[str, list[str]]] = []
        self._lock = threading.Lock()

    def __call__(self, request: RecordedRequest) -> Reply:
        if request.path.endswith("/auth/token"):
            return Reply.json({"access_token": "token"}, status=201)
        query = request.query_params
        with self._lock:
            self.requests.append(query)
            document = self._page(query)
            if self.between_pages is not None:
                self.between_pages(len(self.requests), self.rows)
        return Reply.json(document)

    def _page(self, query: dict[str, list[str]]) -> dict[str, Any]:
        limit = int(query.get("limit", ["50"])[-1])
        ordered = sorted(self.rows, key=order_key)
        cursor = query.get("cursor", [None])[-1] if self.cursor_aware else None
        if cursor is None:
            offset = int(query.get("offset", ["0"])[-1])
            return {self.items: ordered[offset:offset + limit], "total_entries": len(ordered),
                    "total_entries_limit": None, "next_cursor": None, "previous_cursor": None}
        after = [row for row in ordered if not cursor or order_key(row) > decode_cursor(cursor)]
        found = after[:limit]
        more = len(after) > limit
        return {
            self.items: found,
            "total_entries": min(len(ordered), EXACT_COUNT_LIMIT),
            "total_entries_limit": EXACT_COUNT_LIMIT,
            "next_cursor": encode_cursor(found[-1]) if more and found else None,
            "previous_cursor": encode_cursor(found[0]) if cursor and found else None,
        }


def runs(count: int, first_day: int = 0) -> list[Row]:
    """`count` DAG runs of DAG "d", one a day from 2026-01-01 plus `first_day` days (negative
    for a backfill before them), each with its own id."""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return [{"dag_id": "d", "dag_run_id": f"run{day}", "state": "success",
             "logical_date": (start + timedelta(days=day)).isoformat(),
             "id": f"{day + 100_000:08d}"}
            for day in range(first_day, first_day + count)]

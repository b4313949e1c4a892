"""The list endpoint's answers, for the paging benchmark: pages of task instances.

`GET /api/v1/dags/paging_{total}/dagRuns/~/taskInstances?limit=L&offset=O` answers, as Airflow
does, `{"task_instances": [...], "total_entries": total}` with at most L task instances from O
on. The total is in the DAG id so that one server serves every size; each task instance is the
benchmarks' canned document. Pages of one size are built once and kept as bytes.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Optional
from urllib.parse import parse_qs

import fixtures

DAG_PREFIX = b"paging_"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def total_of(dag_id: bytes) -> Optional[int]:
    """The number of task instances the DAG id asks for, or None when it is not a paging id."""
    if not dag_id.startswith(DAG_PREFIX) or not dag_id[len(DAG_PREFIX):].isdigit():
        return None
    return int(dag_id[len(DAG_PREFIX):])


@lru_cache(maxsize=8)
def _page(count: int, total: int) -> bytes:
    items = b", ".join([fixtures.TASK_INSTANCE_BYTES] * count)
    return b'{"task_instances": [%s], "total_entries": %d}' % (items, total)


def page_answer(total: int, query: bytes) -> bytes:
    """The body of the page the query asks for."""
    asked = parse_qs(query.decode("ascii", "replace"))
    limit = min(int(asked.get("limit", [DEFAULT_LIMIT])[0]), MAX_LIMIT)
    offset = int(asked.get("offset", ["0"])[0])
    return _page(max(0, min(limit, total - offset)), total)

"""The list endpoint's answers, for the paging benchmark: pages of task instances.

`GET /api/v1/dags/paging_{total}/taskInstances?limit=L&offset=O` (the spec's list operation)
answers, as Airflow does, `{"task_instances": [...], "total_entries": total}` with at most L task
instances from O on. The total is in the DAG id so that one server serves every size; each task
instance is the benchmarks' canned document with a task id of its own (`task_{n}`), so that a
client that tells items apart by their ids sees each once.
"""

from __future__ import annotations

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


_TASK_ID = b'"task_id": "%s"' % str(fixtures.TASK_INSTANCE["task_id"]).encode()
# The canned document with its task id as a %-placeholder.
_ITEM = fixtures.TASK_INSTANCE_BYTES.replace(b"%", b"%%").replace(_TASK_ID, b'"task_id": "%s"', 1)


def _page(offset: int, count: int, total: int) -> bytes:
    items = b", ".join(_ITEM % (b"task_%d" % index) for index in range(offset, offset + count))
    return b'{"task_instances": [%s], "total_entries": %d}' % (items, total)


def page_answer(total: int, query: bytes) -> bytes:
    """The body of the page the query asks for."""
    asked = parse_qs(query.decode("ascii", "replace"))
    limit = min(int(asked.get("limit", [DEFAULT_LIMIT])[0]), MAX_LIMIT)
    offset = int(asked.get("offset", ["0"])[0])
    return _page(offset, max(0, min(limit, total - offset)), total)

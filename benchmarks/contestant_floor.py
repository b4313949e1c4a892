"""The floor: the same requests made with a bare urllib3 PoolManager plus json.

Nothing here validates or converts; it is the least work any client must do, so every ratio
in the report is measured against it, in the same process as the contestant it is compared to.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import fixtures
import urllib3
from sinks import ByteSink

NAME = "urllib3"
_AUTH = "Basic " + base64.b64encode(b"admin:admin").decode()
_HEADERS = {"Accept": "application/json", "Authorization": _AUTH}
_SEND_HEADERS = {**_HEADERS, "Content-Type": "application/json"}
_PATH = (
    f"/dags/{fixtures.DAG_ID}/taskInstances/{fixtures.TASK_ID}/"
    f"{fixtures.EXECUTION_DATE.replace('+', '%2B')}"
)
STREAM_CHUNK = 64 * 1024


class Floor:
    def __init__(self, host: str, pool_size: int = 8) -> None:
        self.base = host + _PATH
        self.pool = urllib3.PoolManager(maxsize=pool_size)

    def get_task_instance(self) -> Any:
        return json.loads(self.pool.request("GET", self.base, headers=_HEADERS).data)

    def set_state(self) -> Any:
        answer = self.pool.request(
            "PATCH",
            self.base + "?update_mask=state",
            body=json.dumps(fixtures.STATE_CHANGE),
            headers=_SEND_HEADERS,
        )
        return json.loads(answer.data)

    def get_logs(self, mib: int) -> Any:
        url = f"{self.base}/logs/{fixtures.log_try_number(mib)}?full_content=true"
        return json.loads(self.pool.request("GET", url, headers=_HEADERS).data)

    def stream_logs(self, mib: int, sink: ByteSink) -> int:
        url = f"{self.base}/logs/{fixtures.log_try_number(mib)}?full_content=true"
        headers = {**_HEADERS, "Accept": "text/plain"}
        answer = self.pool.request("GET", url, headers=headers, preload_content=False)
        written = 0
        try:
            for piece in answer.stream(STREAM_CHUNK):
                written += sink.write(piece)
        finally:
            answer.release_conn()
        return written

    def iter_task_instances(self, dag_id: str, page_size: int) -> Iterator[Any]:
        """Every task instance of a DAG, page after page, one page held at a time."""
        base = f"{self.base.split('/dags/', 1)[0]}/dags/{dag_id}/taskInstances"
        offset = 0
        while True:
            url = f"{base}?limit={page_size}&offset={offset}"
            page = json.loads(self.pool.request("GET", url, headers=_HEADERS).data)
            items = page["task_instances"]
            yield from items
            offset += len(items)
            if not items or offset >= page["total_entries"]:
                return

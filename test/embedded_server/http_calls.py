"""Plain urllib3 calls to the embedded server, so its tests do not depend on the SDK client."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Optional, Union
from urllib.parse import quote, urlencode

import urllib3

ADMIN = ("admin", "admin")
VIEWER = ("viewer", "viewer")
TIMEOUT = urllib3.Timeout(connect=5.0, read=10.0)

QueryValue = Union[str, list[str]]


def ti_path(dag_id: str, task_id: str, execution_date: str) -> str:
    """The path of a task instance, every segment percent-encoded ("+" included)."""
    parts = [quote(part, safe="") for part in (dag_id, task_id, execution_date)]
    return "/dags/{}/taskInstances/{}/{}".format(*parts)


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


@dataclass
class Reply:
    status: int
    headers: urllib3.HTTPHeaderDict
    data: bytes

    @property
    def content_type(self) -> str:
        return str(self.headers.get("Content-Type", ""))

    def json(self) -> Any:
        return json.loads(self.data)


class Caller:
    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._pool = urllib3.PoolManager(retries=False, timeout=TIMEOUT)

    def __call__(
        self,
        method: str,
        path: str,
        *,
        auth: Optional[tuple[str, str]] = ADMIN,
        query: Optional[dict[str, QueryValue]] = None,
        body: Any = None,
        raw_body: Optional[bytes] = None,
        headers: Optional[dict[str, str]] = None,
    ) -> Reply:
        url = self.base_url + path
        if query:
            url += "?" + urlencode(query, doseq=True)
        sent = dict(headers or {})
        if auth is not None:
            sent.setdefault("Authorization", basic(*auth))
        payload = raw_body
        if body is not None:
            payload = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        response = self._pool.request(method, url, body=payload, headers=sent)
        return Reply(response.status, response.headers, response.data)

    def close(self) -> None:
        self._pool.clear()


def assert_problem(reply: Reply, status: int) -> dict[str, Any]:
    """The reply is an RFC 7807 problem with this status; returns the document."""
    assert reply.status == status, reply.data
    assert reply.content_type == "application/problem+json"
    problem = reply.json()
    assert problem["status"] == status
    assert isinstance(problem["type"], str) and problem["type"]
    assert isinstance(problem["title"], str) and problem["title"]
    assert "detail" in problem
    return dict(problem)

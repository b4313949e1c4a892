"""The few HTTP calls start-up and the DAG-run helpers need (health, Airflow 3 token, unpause,
trigger), with urllib: no SDK layer between the harness and the server it checks."""

from __future__ import annotations

import base64
import json
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, Optional

__all__ = ["airflow3_token", "basic_auth", "bearer", "expect", "request_json", "wait_until_healthy"]

from .processes import CommandFailed, tail


def basic_auth(username: str, password: str) -> str:
    """An Authorization header value for Airflow 2's basic-auth backend."""
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def bearer(token: str) -> str:
    """An Authorization header value for Airflow 3's JWT."""
    return f"Bearer {token}"


def request_json(
    method: str,
    url: str,
    body: Optional[dict[str, Any]] = None,
    authorization: Optional[str] = None,
    timeout_s: float = 30.0,
) -> tuple[int, Any]:
    """Send one request and decode the JSON answer; HTTP errors come back as (status, body)."""
    headers = {"Accept": "application/json"}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if authorization is not None:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw = error.read()
        status = error.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode(errors="replace")


def wait_until_healthy(
    url: str, server: subprocess.Popen[bytes], log_path: Path, timeout_s: float
) -> None:
    """Poll url until it answers 200; fail early if the server process dies."""
    deadline = time.monotonic() + timeout_s
    last_problem = "no answer yet"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise CommandFailed(
                f"server exited with {server.returncode} before {url} answered; "
                f"log {log_path}:\n{tail(log_path)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
                last_problem = f"status {response.status}"
        except (urllib.error.URLError, OSError) as error:
            last_problem = str(error)
        time.sleep(0.5)
    raise CommandFailed(
        f"{url} not healthy after {timeout_s:.0f} s ({last_problem}); "
        f"log {log_path}:\n{tail(log_path)}"
    )


def expect(status: int, wanted: int, what: str, answer: Any) -> None:
    if status != wanted:
        raise CommandFailed(f"{what}: expected HTTP {wanted}, got {status}: {answer!r}")


def airflow3_token(root_url: str, username: str, password: str) -> str:
    """POST /auth/token (outside /api/v2) gives a JWT valid for 24 hours."""
    status, answer = request_json(
        "POST", f"{root_url}/auth/token", {"username": username, "password": password}
    )
    expect(status, 201, "POST /auth/token", answer)
    token = answer["access_token"]
    assert isinstance(token, str)
    return token

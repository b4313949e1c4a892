"""list keeps about a page in memory, whatever the number of task instances it writes."""

from __future__ import annotations

import io
import json
import signal
import subprocess
import sys
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
from cli.runner import REPO_ROOT, clean_environment
from cli.test_logs_memory import _wait_for_url

from airflow_python_sdk.cli import main

ROWS = 3_000  # 30 pages of 100


class _CountingOutput(io.TextIOBase):
    """A stdout that keeps nothing: it only counts what it is given."""

    def __init__(self) -> None:
        self.characters = 0
        self.lines = 0

    def write(self, text: str) -> int:
        self.characters += len(text)
        self.lines += text.count("\n")
        return len(text)

    def isatty(self) -> bool:
        return False


@pytest.fixture
def many_rows_server(tmp_path: Path) -> Iterator[str]:
    """The embedded server in its own process (its memory is not this process's)."""
    first = datetime(2026, 1, 1, tzinfo=timezone.utc)
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps([
        {"dag_id": f"dag_{number % 7}", "task_id": f"task_{number % 13}",
         "execution_date": (first + timedelta(hours=number)).isoformat(), "state": "failed",
         "try_number": 1, "hostname": "worker-" + "x" * 60, "operator": "PythonOperator"}
        for number in range(ROWS)
    ]))
    process = subprocess.Popen(
        [sys.executable, "-m", "airflow_python_sdk.testing", "--seed", str(seed), "--quiet"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=clean_environment(), cwd=REPO_ROOT,
    )
    try:
        yield _wait_for_url(process)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate(timeout=10)


def _peak(url: str, arguments: list[str]) -> tuple[int, _CountingOutput]:
    environ = {"AIRFLOW_API_HOST": url, "AIRFLOW_API_USERNAME": "admin",
               "AIRFLOW_API_PASSWORD": "admin"}
    out = _CountingOutput()
    tracemalloc.start()
    try:
        status = main(arguments, environ=environ, stdin=io.StringIO(""), stdout=out,
                      stderr=io.StringIO())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert status == 0
    return peak, out


@pytest.mark.parametrize("arguments", [["list", "--json"], ["list"]])
def test_memory_stays_flat_while_many_rows_are_listed(
    many_rows_server: str, arguments: list[str]
) -> None:
    _peak(many_rows_server, [*arguments, "--limit", "10"])  # modules imported on first use

    few, few_out = _peak(many_rows_server, [*arguments, "--limit", "300"])
    every, every_out = _peak(many_rows_server, arguments)

    assert every_out.lines >= ROWS
    assert every_out.characters > 9 * few_out.characters
    # Ten times the rows, thirty pages instead of three: the peak is the same page's.
    assert every < 1.5 * few, f"peak {every} bytes for {ROWS} rows, {few} for 300"

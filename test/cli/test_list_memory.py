"""list keeps a page in memory and the identities its walk remembers, whatever the number of task
instances it writes."""

from __future__ import annotations

import io
import json
import tracemalloc
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Iterator

import pytest
from support.embedded_server_process import serving

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
    with serving("--seed", str(seed), "--quiet") as url:
        yield url


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
    # Ten times the rows, thirty pages instead of three: the peak is the same page's, plus the
    # hash of each identity the walk remembers (under 100 bytes each, up to 5,000 to 10,100 of
    # them, flat beyond: test/core/test_paging.py). A row kept whole would cost kilobytes.
    grown = every - few
    assert grown < 150 * (ROWS - 300), f"peak {every} bytes for {ROWS} rows, {few} for 300"

"""logs --output keeps one chunk in memory, whatever the size of the log."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path
from typing import Iterator

import pytest
from support.embedded_server_process import serving

from airflow_python_sdk.cli import main

DATE = "2026-11-26T00:00:00+00:00"
LINES = 80_000  # about 8 MB
LINES_PER_CHUNK = 2_000


def _big_log() -> str:
    return "".join(
        f"[2026-11-26T00:00:00.000+0000] {{big.py:1}} INFO - line {number:06d} " + "x" * 40 + "\n"
        for number in range(LINES)
    )


@pytest.fixture
def big_log_server(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The embedded server in its own process (its memory is not this process's), with one
    task instance whose log is several megabytes."""
    log = _big_log()
    seed = tmp_path / "seed.json"
    seed.write_text(json.dumps([{
        "dag_id": "big", "task_id": "chatty", "execution_date": DATE, "state": "success",
        "logs": {"1": log},
    }]))
    with serving("--seed", str(seed), "--quiet", "--log-chunk-lines", str(LINES_PER_CHUNK)) as url:
        yield url, log


def test_memory_stays_flat_while_a_big_log_is_written(
    big_log_server: tuple[str, str], tmp_path: Path
) -> None:
    url, log = big_log_server
    target = tmp_path / "chatty.log"
    environ = {"AIRFLOW_API_HOST": url, "AIRFLOW_API_USERNAME": "admin",
               "AIRFLOW_API_PASSWORD": "admin"}
    stdout = io.StringIO()

    tracemalloc.start()
    try:
        status = main(
            ["logs", "big", "chatty", DATE, "--try", "1", "--output", str(target)],
            environ=environ, stdin=io.StringIO(""), stdout=stdout, stderr=io.StringIO(),
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert status == 0
    assert target.read_text(encoding="utf-8") == log
    chunk_size = len(log) // (LINES // LINES_PER_CHUNK)
    # A chunk is held a few times over (the body, the parsed JSON, the text); the whole log
    # (forty chunks) never is.
    assert peak < 10 * chunk_size, f"peak {peak} bytes for chunks of {chunk_size}"
    assert peak < len(log) / 4

"""The blocks of README.md and docs/*.md that need a real Airflow run as printed, on this suite's
servers (Airflow 2 for a host ending in /api/v1, Airflow 3 otherwise) or on the server the page
starts itself (docs/GETTING_STARTED.md starts one with `python -m
airflow_python_sdk.testing.real_airflow`). The fast part of each page is
test/documentation/test_blocks_run_as_printed.py's.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from documentation.runner import PageRun

from integration.real_airflow.maintenance_run import AirflowServer
from tools.docs.markdown import ROOT, read_blocks

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _has_real_airflow_blocks(page: Path) -> bool:
    return "<!-- docs: real airflow" in page.read_text("utf-8")


@pytest.mark.parametrize(
    "page", [p for p in PAGES if _has_real_airflow_blocks(p)],
    ids=lambda p: p.relative_to(ROOT).as_posix(),
)
def test_the_pages_real_airflow_part_runs_as_printed(
    page: Path,
    pytester: pytest.Pytester,
    airflow2_server: AirflowServer,
    airflow3_server: AirflowServer,
) -> None:
    run = PageRun(pytester, {"/api/v1": airflow2_server.url, "/api/v2": airflow3_server.url})
    try:
        for block in read_blocks(page):
            run.run(block)
    finally:
        run.close()
    assert run.ran == sum(1 for block in read_blocks(page) if block.runs and block.real_airflow)

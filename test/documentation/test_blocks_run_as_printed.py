"""Every code block of README.md and docs/*.md runs as printed, or the Markdown says why not.

Each page runs top to bottom, as a reader following it would (test/documentation/runner.py says
how). The part of a page after its `<!-- docs: real airflow -->` line runs in the real-Airflow
suite (test/real_airflow/test_docs_real_airflow_part.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from documentation.runner import PageRun

from tools.docs.markdown import ROOT, read_blocks

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _has_blocks(page: Path) -> bool:
    return re.search(r"^(```|~~~)", page.read_text("utf-8"), re.MULTILINE) is not None


@pytest.mark.parametrize(
    "page", [p for p in PAGES if _has_blocks(p)], ids=lambda p: p.relative_to(ROOT).as_posix()
)
def test_the_page_runs_as_printed(page: Path, pytester: pytest.Pytester) -> None:
    run = PageRun(pytester)
    try:
        for block in read_blocks(page):
            run.run(block)
    finally:
        run.close()
    # A page whose blocks are all marked not to run (or all in its real-Airflow part) runs none.
    assert run.ran or not any(b.runs and not b.real_airflow for b in read_blocks(page))


def test_every_page_says_of_each_block_how_it_runs_or_why_not() -> None:
    # read_blocks raises naming the page and line of a block it cannot place.
    kinds = {block.kind for page in PAGES for block in read_blocks(page)}
    assert "python" in kinds and "transcript" in kinds and "not run" in kinds

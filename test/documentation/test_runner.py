"""The docs' runner fails a block that does not run as printed, and says which and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from documentation.runner import BlockFailed, PageRun

from tools.docs.markdown import DocsError, read_blocks

FENCE = "```"


def run_page(tmp_path: Path, pytester: pytest.Pytester, text: str) -> PageRun:
    page = tmp_path / "Page.md"
    page.write_text(text.replace("'''", FENCE))
    run = PageRun(pytester)
    try:
        for block in read_blocks(page):
            run.run(block)
    finally:
        run.close()
    return run


GOOD_PAGE = """# A page

'''sh
export AIRFLOW_API_HOST=http://localhost:8080/api/v1
printf 'etl_daily\\n' > dags.txt
'''

'''python
import pathlib

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

with airflow_python_sdk.ApiClient(airflow_python_sdk.Configuration.from_env()) as client:
    dag = pathlib.Path("dags.txt").read_text().strip()
    ti = TaskInstanceApi(client).get_task_instance(dag, "transform", "2026-11-26T00:00:00Z")
    print(ti.state, ti.try_number)
    print(client.configuration.host)
'''

<!-- docs: output -->
'''
failed 2
http://localhost:8080/api/v1
'''

'''
$ airflow-sdk get etl_daily transform 2026-11-26 | head -n 3
task_id          transform
...
execution_date   2026-11-26T00:00:...
$ airflow-sdk list --state failed --since 24h --count
3
'''

<!-- docs: not run: a shape, not a command -->
'''json
{"a": 1}
'''
"""


def test_a_page_that_runs_as_printed_passes_and_counts_its_blocks(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    assert run_page(tmp_path, pytester, GOOD_PAGE).ran == 4


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("failed 2\n", "failed 3\n"), "printed something else"),
        (("\n3\n", "\n4\n"), "`airflow-sdk list --state failed --since 24h --count` printed"),
        (('"transform"', '"no_such_task"'), "raised NotFoundException"),
        (("printf 'etl_daily", "false; printf 'etl_daily"), "exited 1"),
    ],
)
def test_a_block_that_does_not_run_as_printed_fails_naming_its_line(
    tmp_path: Path, pytester: pytest.Pytester, change: tuple[str, str], said: str
) -> None:
    with pytest.raises(BlockFailed, match=r"Page\.md:\d+: .*" + said.replace("`", ".")):
        run_page(tmp_path, pytester, GOOD_PAGE.replace(*change))


def test_each_block_gets_the_sample_data_afresh(tmp_path: Path, pytester: pytest.Pytester) -> None:
    page = """
'''
$ airflow-sdk set-state etl_daily transform -s success 2026-11-26 >/dev/null
$ airflow-sdk get etl_daily transform 2026-11-26 | grep ^state
state            success
'''

'''
$ airflow-sdk get etl_daily transform 2026-11-26 | grep ^state
state            failed
'''
"""
    assert run_page(tmp_path, pytester, page).ran == 2


def test_a_test_file_block_must_pass_every_test(tmp_path: Path, pytester: pytest.Pytester) -> None:
    page = """
'''python
# tests/test_job.py
def test_the_sample_data(airflow_client):
    ti = airflow_client.get_task_instance("etl_daily", "extract", "2026-11-26T00:00:00Z")
    assert ti.state == "success"


def test_a_wrong_claim(airflow_client):
    ti = airflow_client.get_task_instance("etl_daily", "load", "2026-11-26T00:00:00Z")
    assert ti.state == "failed"
'''
"""
    with pytest.raises(BlockFailed, match=r"its 2 test\(s\) did not all pass.*'failed': 1"):
        run_page(tmp_path, pytester, page)


def test_a_server_the_page_starts_serves_the_rest_of_the_page(
    tmp_path: Path, pytester: pytest.Pytester
) -> None:
    page = """
'''console
$ python -m airflow_python_sdk.testing --port 8080 --quiet --user ops:pw
Airflow API serving at http://127.0.0.1:8080/api/v1
...
Ctrl-C stops it; a new start begins from the same data.
'''

'''
$ export AIRFLOW_API_HOST=http://localhost:8080/api/v1
$ export AIRFLOW_API_USERNAME=ops AIRFLOW_API_PASSWORD=pw
$ airflow-sdk set-state etl_daily transform -s success 2026-11-26 >/dev/null
'''

'''
$ airflow-sdk get etl_daily transform 2026-11-26 | grep ^state
state            success
'''
"""
    run = run_page(tmp_path, pytester, page)
    assert run.ran == 3
    assert run.own_server is None  # stopped with the page


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("<!-- docs: not run -->\n'''sh\nls\n'''\n", "needs a reason"),
        ("<!-- docs: skip: why -->\n'''sh\nls\n'''\n", "unknown directive 'skip'"),
        ("'''json\n{}\n'''\n", "needs a directive"),
        ("<!-- a comment -->\n'''sh\nls\n'''\n", "must be a `<!-- docs: ... -->` directive"),
        ("<!-- docs: file: a.txt -->\n\ntext\n", "must stand right before a block"),
    ],
)
def test_a_block_the_runner_cannot_place_is_refused_naming_its_line(
    tmp_path: Path, text: str, said: str
) -> None:
    page = tmp_path / "Page.md"
    page.write_text("# Page\n\n" + text.replace("'''", FENCE))
    with pytest.raises(DocsError, match=r"Page\.md:\d+: .*" + said.replace("(", r"\(")):
        read_blocks(page)

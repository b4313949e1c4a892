"""Every code block of docs/MIGRATING.md runs against the embedded server and its sample data.

Only the host is replaced: the guide's `http://localhost:8080/api/v1` becomes the server's URL.
Each block runs on its own, in a fresh namespace, against freshly reset sample data; the `assert`
lines in the blocks are the guide's claims.
"""

from __future__ import annotations

import contextlib
import io
import re

import pytest
from support.paths import REPO_ROOT

from airflow_python_sdk.testing.server import AirflowApiServer

GUIDE = REPO_ROOT / "docs" / "MIGRATING.md"
FENCED = re.compile(r"^```(?P<language>\w*)\n(?P<code>.*?)^```", re.DOTALL | re.MULTILINE)
HOST = '"http://localhost:8080/api/v1"'


def guide_blocks() -> list[tuple[str, str]]:
    return [(m["language"], m["code"]) for m in FENCED.finditer(GUIDE.read_text("utf-8"))]


def python_blocks() -> list[str]:
    return [code for language, code in guide_blocks() if language == "python"]


def test_every_block_of_the_guide_is_python_run_here():
    blocks = guide_blocks()
    assert len(blocks) >= 4
    assert {language for language, _ in blocks} == {"python"}


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_guide_block_runs_against_the_embedded_server(airflow_api: AirflowApiServer, index: int):
    code = python_blocks()[index]
    assert code.count(HOST) == 1, "each block makes its own configuration"
    source = code.replace(HOST, repr(airflow_api.url))
    printed = io.StringIO()

    with contextlib.redirect_stdout(printed):
        exec(compile(source, f"<docs/MIGRATING.md block {index + 1}>", "exec"),
             {"__name__": f"migrating_guide_{index + 1}"})

    assert "Traceback" not in printed.getvalue()

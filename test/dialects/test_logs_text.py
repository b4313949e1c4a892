"""Airflow 2's list-of-tuples log content is read as data, never run as code."""

from __future__ import annotations

from pathlib import Path

import pytest
from dialects.recorded_answers import document

from airflow_python_sdk.dialects.logs_text import airflow2_log_text, parse_host_chunks


def test_the_recorded_chunk_parses_to_one_host_and_its_text() -> None:
    content = document("v2_logs_fail_task_json.json")["content"]

    pairs = parse_host_chunks(content)

    assert pairs is not None and len(pairs) == 1
    host, text = pairs[0]
    assert host == "vm"
    assert "about to fail" in text and "\n" in text and "\\n" not in text


def test_quotes_and_escapes_come_out_as_the_task_wrote_them() -> None:
    content = repr([("h", "it's \"quoted\"\ttab\\back\nnext é")])

    assert airflow2_log_text(content) == "it's \"quoted\"\ttab\\back\nnext é"


def test_several_hosts_are_joined_in_order_with_a_newline_between() -> None:
    content = repr([("a", "first"), ("b", ""), ("c", "third\n"), ("d", "fourth")])

    assert airflow2_log_text(content) == "first\nthird\nfourth"


@pytest.mark.parametrize(
    "content",
    [
        "__import__('os').system('touch {marker}')",
        "[(__import__('os').system('touch {marker}'), 'x')]",
        "[('h', open('{marker}', 'w').write('x'))]",
        "[('h', f'{{__import__(\"os\").system(\"touch {marker}\")}}')]",
        "[('h', 'a'), ('h',)]",
        "[('h', 1)]",
        "[['h', 'a']]",
        "{'h': 'a'}",
        "[('h', 'unterminated)]",
        "[" * 100_000,
    ],
)
def test_anything_but_plain_string_pairs_is_returned_unchanged_and_never_run(
        content: str, tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    text = content.replace("{marker}", str(marker))

    assert parse_host_chunks(text) is None
    assert airflow2_log_text(text) == text
    assert not marker.exists()


def test_plain_text_is_kept_as_it_is() -> None:
    assert airflow2_log_text("already plain\ntext") == "already plain\ntext"
    assert airflow2_log_text("") == ""

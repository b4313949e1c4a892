"""Every piece of a server's text the command prints goes through one escaping: no control
character (ESC, CSI, BEL, DEL, ...) reaches the terminal, whatever field it hides in, and the
JSON the command writes still reads back as exactly what the server sent."""

from __future__ import annotations

import io
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.recording_server import RecordedRequest, RecordingServer, Reply

from airflow_python_sdk.cli import exit_codes, main

ESCAPES = "\u001b[1A\u001b[2K\u001b]0;pwned\u0007\u009b31m\u007f"
DATE = "2026-11-26T00:00:00+00:00"


def task_instance(dag_id: str, task_id: str, state: Any = "failed", **more: Any) -> dict:
    return {"dag_id": dag_id, "task_id": task_id, "execution_date": DATE, "state": state,
            "try_number": 1, "map_index": -1, **more}


def run_command(handler, *arguments: str) -> tuple[int, str, str]:
    with RecordingServer(handler=handler) as server:
        out, err = io.StringIO(), io.StringIO()
        code = main([*arguments, "--host", server.url + "/api/v1", "--dialect", "draft"],
                    environ={"AIRFLOW_API_USERNAME": "u", "AIRFLOW_API_PASSWORD": "p"},
                    stdin=io.StringIO(""), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def lists(items: list[dict], key: str = "task_instances"):
    def answer(request: RecordedRequest) -> Reply:
        return Reply.json({key: items, "total_entries": len(items)})
    return answer


def assert_printable(text: str) -> None:
    for line in text.splitlines():
        assert all(char.isprintable() for char in line), repr(line)


def test_the_list_table_shows_a_servers_escapes_escaped() -> None:
    code, out, _ = run_command(lists([task_instance(f"etl{ESCAPES}", "t",
                                                    state=f"failed{ESCAPES}")]), "list")

    assert code == exit_codes.OK
    assert_printable(out)
    assert "etl\\x1b[1A\\x1b[2K" in out and "\\x9b31m" in out and "\\x7f" in out


def test_the_runs_table_shows_a_servers_escapes_escaped() -> None:
    run = {"dag_id": "etl", "dag_run_id": f"manual{ESCAPES}", "execution_date": DATE,
           "state": "failed"}
    code, out, _ = run_command(lists([run], "dag_runs"), "runs")

    assert code == exit_codes.OK
    assert_printable(out)
    assert "manual\\x1b[1A" in out


def test_json_lines_escape_every_control_character_and_read_back_the_same() -> None:
    sent = task_instance(f"etl{ESCAPES}", f"t\u2028{ESCAPES}", hostname=f"w\u0085{ESCAPES}")
    code, out, _ = run_command(lists([sent]), "list", "--json")

    assert code == exit_codes.OK
    assert_printable(out)
    read = json.loads(out)
    assert (read["dag_id"], read["task_id"], read["hostname"]) == (
        sent["dag_id"], sent["task_id"], sent["hostname"])


def test_clears_failed_lines_show_the_ids_escaped() -> None:
    dag = f"etl{ESCAPES}"

    def answer(request: RecordedRequest) -> Reply:
        if request.method == "GET":
            return Reply.json({"task_instances": [task_instance(dag, "t")], "total_entries": 1})
        if request.json()["dry_run"]:
            return Reply.json({"task_instances": [task_instance(dag, "t")]})
        return Reply.json({"title": "Conflict", "detail": "busy"}, status=409,
                          content_type="application/problem+json")

    code, out, err = run_command(answer, "clear", "--state", "failed", "--yes", "--no-progress")

    assert code == exit_codes.SOME_FAILED, err
    assert_printable(out + err)
    assert "Failed:" in out and "etl\\x1b[1A" in out


def test_a_task_instance_without_an_execution_date_is_named_escaped() -> None:
    code, out, err = run_command(
        lists([task_instance(f"etl{ESCAPES}", "t", execution_date=None)]),
        "clear", "--state", "failed", "--yes")

    assert code == exit_codes.USAGE
    assert_printable(out + err)
    assert "etl\\x1b[1A" in err and "no execution date" in err


_SERVER_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(dag_id=_SERVER_TEXT, task_id=_SERVER_TEXT, state=_SERVER_TEXT, as_json=st.booleans())
def test_no_server_text_reaches_the_terminal_unescaped(dag_id: str, task_id: str, state: str,
                                                       as_json: bool) -> None:
    sent = task_instance(dag_id, task_id, state=state)
    code, out, err = run_command(lists([sent]), "list", *(["--json"] if as_json else []))

    assert code == exit_codes.OK, err
    assert_printable(out + err)
    if as_json:
        read = json.loads(out)
        assert (read["dag_id"], read["task_id"]) == (dag_id, task_id)

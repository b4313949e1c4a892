"""The files commands read (`set-state --dates-file`, `clear --from`; `-` for stdin): one reader,
so a file that cannot be read is the same usage error, path quoted, whichever command names it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from airflow_python_sdk.cli import exit_codes, main

# Nothing listens here, and nothing is sent: the input is read before any request.
ENVIRONMENT = {"AIRFLOW_API_HOST": "http://127.0.0.1:9/api/v1",
               "AIRFLOW_API_USERNAME": "admin", "AIRFLOW_API_PASSWORD": "admin"}
COMMANDS = {
    "set-state": ["set-state", "etl_daily", "transform", "--state", "success", "--dates-file"],
    "clear": ["clear", "--yes", "--from"],
}


def run(arguments: list[str], stdin: str = "") -> tuple[int, str]:
    """The exit status and what the command wrote to stderr."""
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(arguments, environ=ENVIRONMENT, stdin=io.StringIO(stdin), stdout=stdout,
                stderr=stderr)
    assert stdout.getvalue() == ""
    return code, stderr.getvalue()


def errors_for(path: str) -> dict[str, tuple[int, str]]:
    return {name: run([*arguments, path]) for name, arguments in COMMANDS.items()}


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths relative to a fresh folder: short enough to be quoted whole.
    monkeypatch.chdir(tmp_path)


def test_a_missing_file_is_the_same_usage_error_from_both_commands() -> None:
    outcomes = errors_for("absent's file.txt")

    expected = ('airflow-sdk: error: cannot read "absent\'s file.txt": '
                "No such file or directory\n")
    assert outcomes == {name: (exit_codes.USAGE, expected) for name in COMMANDS}


def test_a_file_that_is_no_utf8_text_is_the_same_usage_error_from_both_commands() -> None:
    Path("input.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe")

    outcomes = errors_for("input.bin")

    expected = ("airflow-sdk: error: 'input.bin', line 1 is not UTF-8 text: byte 0x89 at "
                "position 1 is not UTF-8; nothing was sent\n")
    assert outcomes == {name: (exit_codes.USAGE, expected) for name in COMMANDS}


def test_a_directory_is_the_same_usage_error_from_both_commands() -> None:
    Path("folder").mkdir()

    outcomes = errors_for("folder")

    expected = "airflow-sdk: error: cannot read 'folder': Is a directory\n"
    assert outcomes == {name: (exit_codes.USAGE, expected) for name in COMMANDS}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_path_with_control_characters_is_quoted_escaped(command: str) -> None:
    code, error = run([*COMMANDS[command], "\x1b[2Jgone"])

    assert code == exit_codes.USAGE
    assert "\x1b" not in error
    assert "\\x1b[2Jgone'" in error

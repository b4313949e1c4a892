"""The command is reachable as `python -m airflow_python_sdk` and as the `airflow-sdk` script."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

import pytest
from support.command_runner import REPO_ROOT, CliRunner, clean_environment

from airflow_python_sdk.cli import exit_codes, main


def test_module_help_lists_the_five_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "airflow_python_sdk", "--help"], capture_output=True, text=True,
        env=clean_environment(), cwd=REPO_ROOT, timeout=60,
    )

    assert result.returncode == 0
    for command in ("get", "logs", "links", "set-state", "delete"):
        assert command in result.stdout
    assert "Exit status" in result.stdout


def test_the_console_script_is_declared() -> None:
    everything = metadata.entry_points()
    # Python 3.9 gives a dict of groups; 3.10 and later select by keyword.
    if hasattr(everything, "select"):
        entries = everything.select(group="console_scripts")
    else:
        entries = everything.get("console_scripts", [])  # type: ignore[attr-defined]
    scripts = {entry.name: entry.value for entry in entries}
    assert scripts.get("airflow-sdk") == "airflow_python_sdk.cli:main"


def test_main_without_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == exit_codes.USAGE
    assert "COMMAND" in capsys.readouterr().err


def test_documented_exit_statuses_are_distinct() -> None:
    values = [value for name, value in vars(exit_codes).items() if name.isupper()]
    assert len(values) == len(set(values))


def test_the_installed_console_script_runs_a_command(cli: CliRunner) -> None:
    # Where pip puts the scripts of the environment this suite runs in (.venv/bin).
    script = Path(sysconfig.get_path("scripts")) / "airflow-sdk"
    assert script.is_file(), f"{script} is not installed: the console script is missing"

    result = subprocess.run(
        [str(script), "get", "etl_daily", "transform", "2026-11-26T00:00:00Z", "--json"],
        capture_output=True, text=True, env=cli.environment(), cwd=REPO_ROOT, timeout=60,
        stdin=subprocess.DEVNULL,
    )

    assert result.returncode == 0, result.stderr
    assert '"state": "failed"' in result.stdout


def test_docs_list_every_exit_status() -> None:
    text = (REPO_ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    table = text.split("## Errors and exit statuses", 1)[1]
    documented = {int(line.split("|")[1]) for line in table.splitlines()
                  if line.startswith("| ") and line.split("|")[1].strip().isdigit()}
    values = {value for name, value in vars(exit_codes).items() if name.isupper()}
    assert documented == values

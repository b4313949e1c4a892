"""The command is reachable as `python -m airflow_python_sdk` and as the `airflow-sdk` script."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata

import pytest
from cli.runner import REPO_ROOT, clean_environment

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
    scripts = {entry.name: entry.value for entry in metadata.entry_points(group="console_scripts")}
    if "airflow-sdk" not in scripts:
        pytest.skip("the installed metadata predates the console script; reinstall the package")
    assert scripts["airflow-sdk"] == "airflow_python_sdk.cli:main"


def test_main_without_arguments_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == exit_codes.USAGE
    assert "COMMAND" in capsys.readouterr().err


def test_documented_exit_statuses_are_distinct() -> None:
    values = [value for name, value in vars(exit_codes).items() if name.isupper()]
    assert len(values) == len(set(values))

"""What the command says besides its results: warnings as one plain line once per run, and its
guide, shipped in the package and printed by `airflow-sdk help TOPIC`."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from support.command_runner import REPO_ROOT, CliRunner, clean_environment

from airflow_python_sdk.cli import exit_codes, main
from airflow_python_sdk.cli.guide import read_guide, topics
from airflow_python_sdk.testing.server import AirflowApiServer

# A name of this machine that the SDK does not take for loopback (it is no IP address as
# written, and not "localhost"), which the resolver reads as 127.0.0.1: credentials sent there
# earn the warning about plain http, and the embedded server still answers.
NOT_OBVIOUSLY_LOOPBACK = "127.1"


def test_a_warning_is_one_plain_line_once_per_run(airflow_api: AirflowApiServer) -> None:
    url = airflow_api.url.replace("127.0.0.1", NOT_OBVIOUSLY_LOOPBACK)
    dates = ["2026-11-26"] * 3  # three requests, each with credentials

    result = CliRunner(url, "admin", "admin")(
        "set-state", "etl_daily", "extract", "--state", "success", "--dry-run", *dates)

    assert result.returncode == exit_codes.OK, result.stderr
    port = url.rsplit(":", 1)[1].split("/")[0]
    assert result.stderr == (
        f"airflow-sdk: warning: Credentials are sent unencrypted to {NOT_OBVIOUSLY_LOOPBACK}:"
        f"{port} over plain http; anyone on the network path can read them. Use an https:// "
        "host.\n")


def test_warnings_in_process_do_not_escape_as_python_warnings(
    airflow_api: AirflowApiServer,
) -> None:
    # pytest turns warnings into errors here (filterwarnings = error): the command must show
    # its warning itself, once, and leave the embedding program's warning settings as they were.
    stderr = io.StringIO()
    status = main(["get", "etl_daily", "extract", "2026-11-26", "--json"],
                  environ={"AIRFLOW_API_HOST": airflow_api.url.replace("127.0.0.1", "127.1"),
                           "AIRFLOW_API_USERNAME": "admin", "AIRFLOW_API_PASSWORD": "admin"},
                  stdout=io.StringIO(), stderr=stderr)

    assert status == exit_codes.OK
    assert stderr.getvalue().count("airflow-sdk: warning: Credentials are sent") == 1
    assert ".py" not in stderr.getvalue()


def test_help_lists_the_guides_topics_without_a_server() -> None:
    result = CliRunner(None)("help")

    assert result.returncode == exit_codes.OK, result.stderr
    names = [line.split()[0] for line in result.stdout.splitlines()[2:] if line.strip()]
    for expected in ("intro", "server", "dates", "get", "logs", "set-state", "list", "runs",
                     "clear", "delete", "errors", "all"):
        assert expected in names


@pytest.mark.parametrize(("topic", "first_line"), [
    ("clear", "### `clear`"),
    ("CLEAR", "### `clear`"),
    ("dates", "## Dates"),
    ("exit", "## Errors and exit statuses"),  # a word of a heading finds its section
    ("set-state-selection", "### `set-state` over a selection"),
])
def test_help_prints_a_topic(topic: str, first_line: str) -> None:
    result = CliRunner(None)("help", topic)

    assert result.returncode == exit_codes.OK, result.stderr
    assert result.stdout.splitlines()[0] == first_line
    assert "```" not in result.stdout  # code blocks are indented instead


def test_help_of_the_errors_topic_lists_every_exit_status() -> None:
    result = CliRunner(None)("help", "errors")

    for status in ("| 0 |", "| 2 |", "| 5 |", "| 7 |", "| 130 |", "| 141 |"):
        assert status in result.stdout


def test_an_unknown_topic_is_a_usage_error_listing_them() -> None:
    result = CliRunner(None)("help", "frobnicate")

    assert result.returncode == exit_codes.USAGE
    assert result.stderr.startswith("airflow-sdk: error: no help topic 'frobnicate': use one of "
                                    "intro, server, dates, ")


def test_help_all_is_the_whole_guide() -> None:
    result = CliRunner(None)("help", "all")

    guide = (REPO_ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")
    prose = [line for line in guide.splitlines() if line.startswith(("#", "|", "1. "))]
    assert all(line in result.stdout.splitlines() for line in prose)


def test_help_leaves_out_the_guides_html_comments() -> None:
    # The docs' notes for their test runner (<!-- docs: ... -->), which GitHub does not show.
    guide = read_guide()
    assert "<!-- docs: not run:" in guide

    shown = CliRunner(None)("help", "all").stdout

    assert "<!--" not in shown
    assert "pip install 'airflow-rest-api-client[cli]'" in shown  # the block it stood before


def test_the_packaged_guide_is_docs_cli_md() -> None:
    # `make check-generated` says the same; this keeps the suite honest on its own.
    assert read_guide() == (REPO_ROOT / "docs" / "CLI.md").read_text(encoding="utf-8")


def test_every_section_of_the_guide_is_a_topic_with_a_unique_name() -> None:
    guide = read_guide()
    sections = topics(guide)
    headings = [line for line in guide.splitlines() if re.match(r"#{2,3} ", line)]

    assert len(sections) == len(headings) + 1  # and the introduction
    assert len({section.name for section in sections}) == len(sections)


def test_every_command_has_a_topic_in_the_guide() -> None:
    from airflow_python_sdk.cli.parser import build_parser

    parser = build_parser()
    commands = next(action for action in parser._actions
                    if isinstance(action, __import__("argparse")._SubParsersAction))
    names = {section.name for section in topics(read_guide())}
    missing = sorted(set(commands.choices) - names - {"help"})
    assert missing == [], f"document these commands in docs/CLI.md: {missing}"


@pytest.mark.parametrize("arguments", [["--help"], ["clear", "--help"], ["get", "--help"]])
def test_help_points_to_the_guide_in_the_package_not_to_a_file(arguments: list[str]) -> None:
    result = CliRunner(None)(*arguments)

    assert result.returncode == exit_codes.OK
    text = " ".join(result.stdout.split())
    assert "docs/CLI.md" not in text
    assert "airflow-sdk help" in text


def test_the_guide_is_read_from_the_installed_package_not_the_checkout(tmp_path: Path) -> None:
    # Run from a directory without docs/: the text comes from the package alone.
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "airflow_python_sdk", "help", "dates"],
                            capture_output=True, text=True, cwd=tmp_path, timeout=60,
                            env=clean_environment())

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("## Dates\n")

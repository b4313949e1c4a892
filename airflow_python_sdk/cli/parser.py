"""The command line's grammar: subcommands, their arguments, and the options they share.

The shared options (--host, --json, ...) are accepted before or after the subcommand: people
type `airflow-sdk get ... --json` as often as `airflow-sdk --json get ...`.
"""

from __future__ import annotations

import argparse
import math
from typing import Callable, Optional, TypeVar

from airflow_python_sdk._logs import DEFAULT_POLL_INTERVAL
from airflow_python_sdk._version import __version__
from airflow_python_sdk.cli.dates import EXAMPLE, parse_execution_date
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.run_parser import add_run_commands
from airflow_python_sdk.cli.safe_text import quoted
from airflow_python_sdk.cli.selection_parser import (
    add_selection_commands,
    add_set_state_selection,
)
from airflow_python_sdk.cli.set_state import KNOWN_STATES, parse_state

__all__ = [
    "PROG",
    "SHARED_DEFAULTS",
    "apply_shared_defaults",
    "build_parser",
    "execution_date_or_stdin",
]

PROG = "airflow-sdk"
DEFAULT_WORKERS = 4
MAX_WORKERS = 64
MAX_POLL_INTERVAL = 3600.0

# Defaults of the shared options, filled in after parsing (see apply_shared_defaults): argparse
# would otherwise let a subcommand's default overwrite a value given before the subcommand.
SHARED_DEFAULTS: dict[str, object] = {
    "host": None,
    "user": None,
    "dialect": None,
    "timeout": None,
    "json": False,
    "debug": False,
}

T = TypeVar("T")


def _argument_type(convert: Callable[[str], T]) -> Callable[[str], T]:
    """Turn a UsageError into the message argparse prints with the usage line."""

    def checked(text: str) -> T:
        try:
            return convert(text)
        except UsageError as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    checked.__name__ = convert.__name__
    return checked


def _read(text: str, convert: Callable[[str], T], what: str) -> T:
    try:
        return convert(text)
    except ValueError:
        raise UsageError(f"{quoted(text)} is not {what}") from None


def _positive_seconds(text: str) -> float:
    value = _read(text, float, "a number of seconds")
    if not (value > 0 and math.isfinite(value)):  # refuses nan and inf too
        raise UsageError(f"{quoted(text)}: give a finite number of seconds above 0")
    return value


def _poll_seconds(text: str) -> float:
    value = _read(text, float, "a number of seconds")
    # A wait longer than an hour is a typo; a huge one overflows the clocks sleep() uses.
    if not (0 <= value <= MAX_POLL_INTERVAL):
        raise UsageError(f"{quoted(text)}: give a number of seconds from 0 to "
                         f"{MAX_POLL_INTERVAL:g}")
    return value


def _workers(text: str) -> int:
    value = _read(text, int, "a whole number")
    if not 1 <= value <= MAX_WORKERS:
        raise UsageError(f"{value}: give between 1 and {MAX_WORKERS} workers")
    return value


def _try_number(text: str) -> int:
    value = _read(text, int, "a whole number")
    if value < 1:
        raise UsageError(f"{value}: tries are counted from 1")
    return value


def execution_date_or_stdin(text: str) -> object:
    return text if text == "-" else parse_execution_date(text)


class _NoPasswordOption(argparse.Action):
    """`--password` is refused with the reason and what to do instead (the value, a secret,
    is never repeated)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: object, option_string: Optional[str] = None) -> None:
        parser.error(
            "there is no --password option: a password on the command line is kept in the "
            "shell's history and shown by ps to every user of the machine. Set "
            "AIRFLOW_API_PASSWORD, or leave it unset to be asked on a terminal"
        )


def _shared_options() -> argparse.ArgumentParser:
    shared = argparse.ArgumentParser(add_help=False, argument_default=argparse.SUPPRESS)
    group = shared.add_argument_group("server and output")
    group.add_argument("--host", metavar="URL",
                       help="the server's root URL, e.g. http://localhost:8080, or its API's "
                            "(.../api/v1, .../api/v2) (default: $AIRFLOW_API_HOST)")
    group.add_argument("-u", "--user", metavar="NAME",
                       help="user name (default: $AIRFLOW_API_USERNAME); the password comes from "
                            "$AIRFLOW_API_PASSWORD, or a prompt on a terminal")
    group.add_argument("--password", nargs="?", action=_NoPasswordOption, help=argparse.SUPPRESS)
    group.add_argument("--dialect", metavar="NAME",
                       help="the API the server speaks: auto (ask the server's /version), "
                            "airflow2, airflow3 or draft (default: $AIRFLOW_API_DIALECT, "
                            "else auto)")
    group.add_argument("--timeout", type=_argument_type(_positive_seconds), metavar="SECONDS",
                       help="timeout of each request (default: $AIRFLOW_API_TIMEOUT, else 60)")
    group.add_argument("--json", action="store_true", help="print JSON for scripts")
    group.add_argument("--debug", action="store_true",
                       help="log each request to stderr, and show a traceback on errors")
    return shared


def _add_task_instance_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dag_id", help="the DAG's id")
    parser.add_argument("task_id", help="the task's id")
    parser.add_argument("execution_date", type=_argument_type(parse_execution_date),
                        help=f"the run's execution date, RFC 3339 with a time zone ({EXAMPLE})")


def build_parser() -> argparse.ArgumentParser:
    shared = _shared_options()
    parser = argparse.ArgumentParser(
        prog=PROG,
        parents=[shared],
        description="Read and change Airflow task instances, DAG runs and DAGs through the "
                    "Airflow REST API.",
        epilog="Exit status: 0 ok, 1 some requests of set-state or clear failed, 2 usage error, "
               "3 authentication or permission refused, 4 not found, 5 other API error, "
               "6 server unreachable, 7 delete, clear or set-state not confirmed, "
               "8 the run (or a rerun) failed, 9 a wait timed out, 10 the DAG is paused, "
               "130 interrupted, 141 output closed. "
               f"The guide: `{PROG} help` lists its topics (the options, dates, each command, "
               f"the exit statuses); `{PROG} help COMMAND` explains one command.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_selection_commands(commands, shared)
    add_run_commands(commands, shared)

    get = commands.add_parser("get", parents=[shared], help="show a task instance",
                              description="Show a task instance's fields.")
    _add_task_instance_arguments(get)

    logs = commands.add_parser(
        "logs", parents=[shared], help="print a task instance's log",
        description="Print the log of one try, reading it chunk by chunk. Without --follow it "
                    "stops at what the server has now; with --follow it waits for the log to "
                    "end. --json prints each chunk as a line of JSON with its token.")
    _add_task_instance_arguments(logs)
    logs.add_argument("--try", dest="try_number", type=_argument_type(_try_number), default=None,
                      metavar="N", help="which try (default: the task instance's latest)")
    logs.add_argument("-f", "--follow", action="store_true",
                      help="keep polling until the log ends")
    logs.add_argument("--poll-interval", type=_argument_type(_poll_seconds),
                      default=DEFAULT_POLL_INTERVAL, metavar="SECONDS",
                      help=f"wait between polls that bring nothing new "
                           f"(default {DEFAULT_POLL_INTERVAL:g})")
    logs.add_argument("-o", "--output", metavar="FILE", default=None,
                      help="write the log to FILE instead of stdout")

    links = commands.add_parser("links", parents=[shared], help="list a task instance's links",
                                description="List a task instance's extra links.")
    _add_task_instance_arguments(links)

    set_state = commands.add_parser(
        "set-state", parents=[shared], help="set the state of task instances",
        description="Set the state of one task's instances at many execution dates (only the "
                    "state is sent, with update_mask=state). Dates come as arguments, from "
                    "--dates-file, or from stdin with '-'.")
    set_state.add_argument("dag_id", nargs="?", help="the DAG's id")
    set_state.add_argument("task_id", nargs="?", help="the task's id")
    set_state.add_argument("execution_dates", nargs="*", metavar="EXECUTION_DATE",
                           type=_argument_type(execution_date_or_stdin),
                           help=f"execution dates ({EXAMPLE}); '-' reads them from stdin")
    set_state.add_argument("-s", "--state", required=True, type=_argument_type(parse_state),
                           metavar="STATE", help="the new state: " + ", ".join(KNOWN_STATES))
    set_state.add_argument("--dates-file", metavar="FILE", default=None,
                           help="read execution dates from FILE, one per line ('-': stdin)")
    set_state.add_argument("-w", "--workers", type=_argument_type(_workers),
                           default=DEFAULT_WORKERS, metavar="N",
                           help=f"requests in flight at once (default {DEFAULT_WORKERS})")
    set_state.add_argument("--dry-run", action="store_true",
                           help="change nothing: show each task instance's current state")
    set_state.add_argument("--no-progress", action="store_true", help="never show a progress bar")
    add_set_state_selection(set_state)

    delete = commands.add_parser("delete", parents=[shared], help="delete a task instance",
                                 description="Delete a task instance, after confirmation.")
    _add_task_instance_arguments(delete)
    delete.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")

    guide = commands.add_parser(
        "help", help="read the guide: a topic, or the list of topics",
        description="Print a topic of the command's guide (the same text as docs/CLI.md), or "
                    "the list of topics.")
    guide.add_argument("topic", nargs="?", default=None, metavar="TOPIC",
                       help="a command (get, clear, ...), dates, errors, ... or all")
    for name, subparser in commands.choices.items():
        if name != "help" and subparser.epilog is None:
            subparser.epilog = f"The guide: `{PROG} help {name}`."
    return parser


def apply_shared_defaults(args: argparse.Namespace) -> argparse.Namespace:
    for name, default in SHARED_DEFAULTS.items():
        if not hasattr(args, name):
            setattr(args, name, default)
    return args

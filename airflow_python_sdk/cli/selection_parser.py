"""The grammar of the commands that select many task instances: list, runs and clear, and the
selection options set-state gains. Kept apart from parser.py, which holds the single-instance
commands, so each file stays about one thing."""

from __future__ import annotations

import argparse
import re
from datetime import datetime, timezone
from typing import Optional

from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import cut, quoted
from airflow_python_sdk.cli.set_state import parse_state
from airflow_python_sdk.cli.when import parse_when
from airflow_python_sdk.model.dag_state import DagState

__all__ = [
    "DAG_RUN_STATES",
    "add_from_and_confirmation",
    "add_selection_commands",
    "add_selection_options",
    "add_set_state_selection",
    "resolve_selection",
]

DAG_RUN_STATES = tuple(state.value for state in DagState)
# More than any server holds, and far below what itertools.islice can take (sys.maxsize).
MAX_LIMIT = 10**9
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
WHEN_HELP = ("an RFC 3339 date-time (2026-11-26T06:00:00Z), a plain date (midnight UTC) or a "
             "span back from now (24h, 7d, 90m, 2w)")


def _run_state(text: str) -> DagState:
    value = text.strip().lower()
    if value not in DAG_RUN_STATES:
        raise UsageError(f"unknown DAG run state {quoted(text)}: "
                         f"use one of {', '.join(DAG_RUN_STATES)}")
    return DagState(value)


def _limit(text: str) -> int:
    written = text.strip()
    if not _WHOLE_NUMBER.fullmatch(written):
        raise UsageError(f"--limit {quoted(text)} is not a whole number")
    digits = written.lstrip("+0")
    if written.startswith("-") or not digits:
        raise UsageError(f"--limit {cut(written)}: give a limit of 1 or more")
    # Compared as text first: int() refuses numbers of thousands of digits with its own error.
    if len(digits) > len(str(MAX_LIMIT)) or int(digits) > MAX_LIMIT:
        raise UsageError(f"--limit {cut(written)}: give at most {MAX_LIMIT} (leave --limit "
                         "out for every match)")
    return int(digits)


def _non_empty(text: str, what: str) -> str:
    if not text.strip():
        raise UsageError(f"--{what} '': an empty name selects nothing")
    return text


def add_selection_options(
    parser: argparse.ArgumentParser, *, run_states: bool = False, task_filters: bool = True,
    state_flag: str = "--state",
) -> None:
    """--dag, --state, --since, --until (and --task, --pool) and --limit, kept as typed:
    resolve_selection checks them after parsing, so a mistake is one line, not a usage page."""
    group = parser.add_argument_group("selection")
    group.add_argument("--dag", dest="dags", action="append", metavar="DAG_ID",
                       help="only this DAG (repeat for more; default: all)")
    group.add_argument(state_flag, dest="states", action="append", metavar="STATE",
                       help="only in this state (repeat for more)")
    group.add_argument("--since", default=None, metavar="WHEN",
                       help=f"execution date at or after WHEN: {WHEN_HELP}")
    group.add_argument("--until", default=None, metavar="WHEN",
                       help="execution date at or before WHEN")
    if task_filters:
        group.add_argument("--task", dest="tasks", action="append", metavar="TASK_ID",
                           help="only this task (repeat for more)")
        group.add_argument("--pool", dest="pools", action="append", metavar="POOL",
                           help="only in this pool (repeat for more)")
    group.add_argument("--limit", default=None, metavar="N", help="at most N items")
    parser.set_defaults(selection_of_runs=run_states, tasks=None, pools=None)


def resolve_selection(args: argparse.Namespace, now: Optional[datetime] = None) -> None:
    """Check and convert the selection options in place; UsageError on the first mistake."""
    now = now or datetime.now(timezone.utc)
    state_type = _run_state if args.selection_of_runs else parse_state
    args.states = [state_type(text) for text in args.states] if args.states else None
    args.since = None if args.since is None else parse_when(args.since, now, "--since")
    args.until = None if args.until is None else parse_when(args.until, now, "--until")
    for name in ("dags", "tasks", "pools"):
        values = getattr(args, name)
        if values:
            setattr(args, name, [_non_empty(value, name[:-1]) for value in values])
    args.limit = None if args.limit is None else _limit(args.limit)


def _add_listing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--count", action="store_true", help="print only how many match")


def add_selection_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: argparse.ArgumentParser,
) -> None:
    listing = commands.add_parser(
        "list", parents=[shared], help="list task instances across DAGs",
        description="List task instances across DAGs, page after page as they are read. "
                    "--json writes one JSON object per line, which clear and set-state read "
                    "with --from -.")
    add_selection_options(listing)
    _add_listing(listing)

    runs = commands.add_parser(
        "runs", parents=[shared], help="list DAG runs across DAGs",
        description="List DAG runs across DAGs, with the same date and state filters as list.")
    add_selection_options(runs, run_states=True, task_filters=False)
    _add_listing(runs)

    clear = commands.add_parser(
        "clear", parents=[shared], help="clear task instances so they run again",
        description="Clear task instances so that they run again: those the filters select, or "
                    "those read from --from (lines of list --json). The server's dry run is "
                    "shown first; on a terminal the command asks before applying it.")
    add_selection_options(clear)
    add_from_and_confirmation(clear)
    clear.add_argument("--downstream", action="store_true",
                       help="also clear the tasks downstream of the selected ones")
    clear.add_argument("--upstream", action="store_true",
                       help="also clear the tasks upstream of the selected ones")
    clear.add_argument("--only-failed", action=argparse.BooleanOptionalAction, default=True,
                       help="clear only failed and upstream_failed task instances (default: on)")
    clear.add_argument("--include-running", action="store_true",
                       help="also clear running task instances (Airflow restarts them)")


def add_set_state_selection(parser: argparse.ArgumentParser) -> None:
    """set-state's selection: the filters (the current state is --in-state, since --state is
    the new one), --from and --yes."""
    add_selection_options(parser, state_flag="--in-state")
    parser.add_argument("--from", dest="from_file", metavar="FILE", default=None,
                        help="read the task instances from FILE, one JSON object per line as "
                             "list --json writes them ('-': stdin)")
    parser.add_argument("-y", "--yes", action="store_true",
                        help="with a selection: apply without asking")


def add_from_and_confirmation(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="from_file", metavar="FILE", default=None,
                        help="read the task instances from FILE, one JSON object per line as "
                             "list --json writes them ('-': stdin)")
    parser.add_argument("-y", "--yes", action="store_true",
                        help="apply without asking (needed when stdin is not a terminal)")
    parser.add_argument("--dry-run", action="store_true",
                        help="only show what would change (the server's dry run)")
    parser.add_argument("--no-progress", action="store_true", help="never show a progress bar")

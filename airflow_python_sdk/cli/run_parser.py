"""The grammar of the commands about DAGs and DAG runs: dags, pause, unpause, trigger, wait,
mark-run, clear-run and delete-run, and clear's --wait. Kept apart from parser.py (the task
instance commands) and selection_parser.py (the selections), so each file is about one thing.

A wait's time limit is --wait-timeout: --timeout is every command's limit for each request.
"""

from __future__ import annotations

import argparse
import math

from airflow_python_sdk._waiting.pace import DEFAULT_WAIT_TIMEOUT
from airflow_python_sdk.cli.dates import EXAMPLE
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import quoted

__all__ = ["RUN_MARKS", "add_run_commands", "add_wait_options", "wait_seconds"]

RUN_MARKS = ("success", "failed", "queued")


def wait_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{quoted(text)} is not a number of seconds") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"{quoted(text)}: give a finite number of seconds "
                                         "above 0")
    return value


def add_wait_options(parser: argparse.ArgumentParser, flag: bool = True) -> None:
    """--wait (when `flag`) and --wait-timeout."""
    if flag:
        parser.add_argument("--wait", action="store_true",
                            help="then wait until it has finished, and say how it ended")
    parser.add_argument("--wait-timeout", type=wait_seconds, default=DEFAULT_WAIT_TIMEOUT,
                        metavar="SECONDS",
                        help=f"give up waiting after SECONDS (default {DEFAULT_WAIT_TIMEOUT:g})")


def _add_run_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("dag_id", help="the DAG's id")
    parser.add_argument("dag_run_id", help="the run's id (runs --dag DAG lists them)")


def _add_yes(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-y", "--yes", action="store_true",
                        help="do not ask for confirmation (needed when stdin is not a terminal)")


def add_run_commands(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    shared: argparse.ArgumentParser,
) -> None:
    dags = commands.add_parser(
        "dags", parents=[shared], help="list DAGs",
        description="List DAGs: their id, whether they are paused, schedule, tags and owners.")
    dags.add_argument("--pattern", default=None, metavar="TEXT",
                      help="only DAGs whose id contains TEXT (ignoring case; %% and _ are "
                           "wildcards, as in Airflow)")
    paused = dags.add_mutually_exclusive_group()
    paused.add_argument("--paused", dest="paused", action="store_const", const=True,
                        default=None, help="only paused DAGs")
    paused.add_argument("--active", dest="paused", action="store_const", const=False,
                        help="only DAGs that are not paused")
    dags.add_argument("--tag", dest="tags", action="append", metavar="TAG",
                      help="only DAGs with this tag (repeat for any of several)")

    for verb in ("pause", "unpause"):
        command = commands.add_parser(
            verb, parents=[shared], help=f"{verb} one DAG, or every DAG matching a pattern",
            description=f"{verb.capitalize()} one DAG, or with --pattern every DAG whose id "
                        "contains the pattern: those are listed first, and the command asks "
                        "before changing them (--yes does not ask).")
        command.add_argument("dag_id", nargs="?", default=None, help="the DAG's id")
        command.add_argument("--pattern", default=None, metavar="TEXT",
                             help="every DAG whose id contains TEXT (%% and _ are wildcards)")
        _add_yes(command)

    trigger = commands.add_parser(
        "trigger", parents=[shared], help="start a run of a DAG",
        description="Start a run of a DAG; with --wait, wait until it has finished and list "
                    "its task instances that did not succeed.")
    trigger.add_argument("dag_id", help="the DAG's id")
    trigger.add_argument("--conf", default=None, metavar="JSON",
                         help="the run's configuration: a JSON object, or @FILE holding one")
    trigger.add_argument("--date", default=None, metavar="DATE",
                         help=f"the run's execution (logical) date, e.g. {EXAMPLE} "
                              "(default: now)")
    trigger.add_argument("--run-id", default=None, metavar="ID",
                         help="the run's id (default: the server's, manual__<date>)")
    trigger.add_argument("--note", default=None, metavar="TEXT", help="a note on the run")
    trigger.add_argument("--unpause", action="store_true",
                         help="unpause the DAG first if it is paused (a paused DAG's run "
                              "stays queued)")
    add_wait_options(trigger)

    wait = commands.add_parser(
        "wait", parents=[shared], help="wait until a DAG run has finished",
        description="Wait until a DAG run has finished, then say how it ended and list its "
                    "task instances that did not succeed.")
    _add_run_arguments(wait)
    add_wait_options(wait, flag=False)

    mark = commands.add_parser(
        "mark-run", parents=[shared], help="mark a DAG run success, failed or queued",
        description="Mark a DAG run success (its unfinished task instances succeed), failed "
                    "(running ones fail, unfinished ones are skipped) or queued; or set its "
                    "note. Asks first unless --yes.")
    _add_run_arguments(mark)
    mark.add_argument("-s", "--state", default=None, choices=RUN_MARKS,
                      help="the run's new state")
    mark.add_argument("--note", default=None, metavar="TEXT", help="the run's new note")
    _add_yes(mark)

    clear = commands.add_parser(
        "clear-run", parents=[shared], help="clear a whole DAG run so that it runs again",
        description="Clear every task instance of a DAG run so that it runs again. The server's "
                    "dry run is shown first; the command asks before clearing (--yes does not "
                    "ask, --dry-run only shows). With --wait it then waits for the cleared "
                    "task instances and prints how each ended.")
    _add_run_arguments(clear)
    _add_yes(clear)
    clear.add_argument("--dry-run", action="store_true",
                       help="only show what would be cleared (the server's dry run)")
    add_wait_options(clear)

    # clear (selection_parser.py) waits for what it cleared, too.
    add_wait_options(commands.choices["clear"])

    delete = commands.add_parser(
        "delete-run", parents=[shared], help="delete a DAG run and its task instances",
        description="Delete a DAG run and its task instances, after confirmation.")
    _add_run_arguments(delete)
    _add_yes(delete)


def check_run_arguments(args: argparse.Namespace) -> None:
    """What argparse cannot say: pause and unpause need a DAG id or --pattern, not both;
    mark-run needs --state or --note."""
    if args.command in ("pause", "unpause") and (args.dag_id is None) == (args.pattern is None):
        raise UsageError(f"{args.command} needs a DAG id, or --pattern TEXT for every DAG whose "
                         "id contains TEXT (not both)")
    if args.command == "mark-run" and args.state is None and args.note is None:
        raise UsageError("mark-run needs --state success|failed|queued, or --note TEXT")

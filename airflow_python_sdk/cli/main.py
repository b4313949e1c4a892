"""The entry point: parse, connect, run one command, and turn failures into an exit status."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import traceback
from datetime import datetime
from typing import Callable, Mapping, Optional, Sequence, TextIO

from airflow_python_sdk._client import ApiClient
from airflow_python_sdk._errors import ApiException, OpenApiException
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.clear_command import run_clear
from airflow_python_sdk.cli.commands import run_delete, run_get, run_links, run_logs
from airflow_python_sdk.cli.connection import PasswordPrompt, build_configuration
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.dags_command import DAG_COMMANDS
from airflow_python_sdk.cli.dates import read_date_file
from airflow_python_sdk.cli.diagnosis import hint_for
from airflow_python_sdk.cli.errors import UsageError, describe, exit_code_for, in_shell_words
from airflow_python_sdk.cli.guide import run_help
from airflow_python_sdk.cli.input_lines import STDIN
from airflow_python_sdk.cli.list_command import run_list, run_runs
from airflow_python_sdk.cli.parser import (
    PROG,
    apply_shared_defaults,
    build_parser,
    execution_date_or_stdin,
)
from airflow_python_sdk.cli.run_commands import RUN_COMMANDS
from airflow_python_sdk.cli.safe_text import escaped
from airflow_python_sdk.cli.selection_parser import resolve_selection
from airflow_python_sdk.cli.set_state import run_set_state
from airflow_python_sdk.cli.state_selection import (
    is_selection,
    prepare_selection,
    run_set_state_selection,
)
from airflow_python_sdk.cli.warning_lines import plain_warnings

__all__ = ["main"]

_SINGLE_COMMANDS: dict[str, Callable[[CommandContext], int]] = {
    "get": run_get,
    "logs": run_logs,
    "links": run_links,
    "delete": run_delete,
    "list": run_list,
    "runs": run_runs,
    "clear": run_clear,
    **DAG_COMMANDS,
    **RUN_COMMANDS,  # clear among them: clear --wait
}

_SELECTING_COMMANDS = frozenset({"list", "runs", "clear"})


def main(
    argv: Optional[Sequence[str]] = None,
    *,
    environ: Optional[Mapping[str, str]] = None,
    stdin: Optional[TextIO] = None,
    stdout: Optional[TextIO] = None,
    stderr: Optional[TextIO] = None,
    prompt: Optional[PasswordPrompt] = None,
) -> int:
    """Run `airflow-sdk` with these arguments; return the exit status (docs/CLI.md).

    The keyword arguments replace the process's environment and streams, for embedding.
    """
    stdin = sys.stdin if stdin is None else stdin
    stdout = sys.stdout if stdout is None else stdout
    stderr = sys.stderr if stderr is None else stderr
    environ = os.environ if environ is None else environ
    parser = build_parser()
    try:
        args = apply_shared_defaults(_parse(parser, argv))
    except SystemExit as exit_request:  # argparse has printed the usage line and the message
        return exit_request.code if isinstance(exit_request.code, int) else exit_codes.USAGE
    if args.debug:
        logging.basicConfig(
            level=logging.DEBUG, stream=stderr, format="%(asctime)s %(name)s %(message)s"
        )
    with plain_warnings(stderr, PROG):
        return _guarded(args, environ, stdin, stdout, stderr, prompt)


def _guarded(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    prompt: Optional[PasswordPrompt],
) -> int:
    """Run the command; every failure becomes its message and exit status, never a traceback."""
    session = _Session()
    try:
        if args.command == "help":
            return run_help(args.topic, stdout)
        return _run(args, environ, stdin, stdout, stderr, prompt, session)
    except UsageError as error:
        # A UsageError may carry a status of its own (a DAG that does not exist: 4).
        code = getattr(error, "exit_code", exit_codes.USAGE)
        return _fail(stderr, str(error), code, args.debug)
    except ApiException as error:
        return _fail(stderr, describe(error), exit_code_for(error), args.debug,
                     hint=session.hint(error))
    except OpenApiException as error:  # an argument the SDK refused before sending anything
        return _fail(stderr, str(error), exit_codes.USAGE, args.debug)
    except KeyboardInterrupt:
        stderr.write("\nInterrupted.\n")
        return exit_codes.INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`airflow-sdk logs ... | head`): not an error worth a traceback.
        # Later writes to stdout, including the interpreter's final flush, must not fail again.
        _silence_stdout(stdout)
        return exit_codes.BROKEN_PIPE
    except OSError as error:
        # stdout cannot be written (`> /dev/full`, a full disk): the SDK's own errors are all
        # ApiExceptions, so this is the output's.
        _silence_stdout(stdout)
        return _fail(stderr, f"cannot write the output: {error.strerror or error}",
                     exit_codes.USAGE, args.debug)


def _parse(parser: argparse.ArgumentParser, argv: Optional[Sequence[str]]) -> argparse.Namespace:
    """Parse, letting set-state's dates come after its options too.

    argparse reads one run of positional arguments at a time, so in
    `set-state DAG TASK --state success DATE...` the dates would be "unrecognized"; they are
    taken here as execution dates instead.
    """
    args, extras = parser.parse_known_args(argv)
    unknown = [extra for extra in extras if extra.startswith("-") and extra != "-"]
    if unknown or (extras and args.command != "set-state"):
        parser.error("unrecognized arguments: " + " ".join(unknown or extras))
    for extra in extras:
        try:
            args.execution_dates.append(execution_date_or_stdin(extra))
        except UsageError as error:
            parser.error(str(error))
    return args


def _silence_stdout(stdout: TextIO) -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class _Session:
    """The client of the run, once made: what a hint about an error needs to know."""

    def __init__(self) -> None:
        self.client: Optional[ApiClient] = None

    def hint(self, error: ApiException) -> Optional[str]:
        if self.client is None:
            return None
        return hint_for(error, self.client.configuration, self.client.dialect())


def _run(
    args: argparse.Namespace,
    environ: Mapping[str, str],
    stdin: TextIO,
    stdout: TextIO,
    stderr: TextIO,
    prompt: Optional[PasswordPrompt],
    session: _Session,
) -> int:
    # Dates are read and checked before connecting: a typo should not cost a password prompt.
    selecting = args.command in _SELECTING_COMMANDS or (
        args.command == "set-state" and is_selection(args))
    if selecting:
        if args.command == "set-state":
            prepare_selection(args)
        resolve_selection(args)
    dates = _set_state_dates(args, stdin) if args.command == "set-state" and not selecting else []
    workers = args.workers if args.command == "set-state" else 1
    configuration = build_configuration(
        args, environ, stdin, prompt or getpass.getpass, workers=workers
    )
    if args.debug:
        configuration.debug = True
    with ApiClient(configuration) as api_client:
        session.client = api_client
        context = CommandContext(TaskInstanceApi(api_client), args, stdin, stdout, stderr)
        if args.command == "set-state":
            if selecting:
                return run_set_state_selection(context)
            return run_set_state(context, dates)
        return _SINGLE_COMMANDS[args.command](context)


def _set_state_dates(args: argparse.Namespace, stdin: TextIO) -> list[datetime]:
    if args.dag_id is None or args.task_id is None:
        raise UsageError("set-state needs DAG_ID TASK_ID and execution dates, or a selection "
                         "(--dag, --task, --since, --in-state, --from, ...)")
    dates: list[datetime] = []
    stdin_used = False
    for value in args.execution_dates:
        if value == "-":
            if stdin_used:
                raise UsageError("'-' (stdin) can be given only once")
            stdin_used = True
            dates.extend(read_date_file(STDIN, stdin))
        else:
            dates.append(value)
    if args.dates_file is not None:
        if args.dates_file == "-" and stdin_used:
            raise UsageError("'-' (stdin) can be given only once")
        dates.extend(read_date_file(args.dates_file, stdin))
    if not dates:
        raise UsageError("no execution dates: give them as arguments, '-' or --dates-file FILE")
    return dates


def _fail(stderr: TextIO, message: str, code: int, debug: bool,
          hint: Optional[str] = None) -> int:
    if debug:
        traceback.print_exc(file=stderr)
    # The last gate: whatever a message quotes, no control character reaches the terminal.
    stderr.write(f"{PROG}: error: {escaped(in_shell_words(message))}\n")
    if hint:
        stderr.write(f"{PROG}: hint: {escaped(hint)}\n")
    return code

"""The single-task-instance commands: get, logs, links and delete."""

from __future__ import annotations

from datetime import datetime

from airflow_python_sdk._logs import follow_log_chunks, write_logs
from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.context import CommandContext
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.output import as_json_data, print_fields, print_json, print_table
from airflow_python_sdk.cli.safe_text import json_text, quoted

__all__ = ["run_delete", "run_get", "run_links", "run_logs"]


def run_get(context: CommandContext) -> int:
    args = context.args
    task_instance = context.api.get_task_instance(args.dag_id, args.task_id, args.execution_date)
    data = as_json_data(task_instance)
    if context.json:
        print_json(data, context.stdout)
    else:
        print_fields(data, context.stdout)
    return exit_codes.OK


def run_links(context: CommandContext) -> int:
    args = context.args
    collection = context.api.get_extra_links(args.dag_id, args.task_id, args.execution_date)
    links = collection.extra_links or []
    if context.json:
        print_json(as_json_data(collection), context.stdout)
    elif not links:
        context.stdout.write("No extra links.\n")
    else:
        print_table(["NAME", "URL"], [[link.name, link.href] for link in links], context.stdout)
    return exit_codes.OK


def run_logs(context: CommandContext) -> int:
    """Print (or write to --output) the log of one try, chunk by chunk as it arrives.

    Without --follow it stops once it has read what the server has now; with --follow it keeps
    polling until the log ends. With --json each chunk is one line of JSON, with its token, so
    a script can resume from the last token.
    """
    args = context.args
    try_number = args.try_number or _latest_try(context)
    if args.output is None:
        chunks = follow_log_chunks(
            context.api,
            args.dag_id,
            args.task_id,
            args.execution_date,
            try_number,
            poll_interval=args.poll_interval,
            until_ended=args.follow,
        )
        for chunk in chunks:
            if context.json:
                line = {"content": chunk.content, "continuation_token": chunk.continuation_token}
                context.stdout.write(json_text(line) + "\n")
            elif chunk.content:
                context.stdout.write(chunk.content)
            context.stdout.flush()
        return exit_codes.OK
    try:
        out = open(args.output, "w", encoding="utf-8")  # noqa: SIM115 (closed just below)
    except OSError as error:
        raise UsageError(f"cannot write {quoted(args.output)}: {error.strerror or error}") from None
    try:
        with out:
            written = write_logs(
                context.api,
                args.dag_id,
                args.task_id,
                args.execution_date,
                try_number,
                out=out,
                poll_interval=args.poll_interval,
                until_ended=args.follow,
            )
    except OSError as error:
        # A full disk, /dev/full, a file system gone read-only: said plainly, no traceback.
        raise UsageError(f"cannot write {quoted(args.output)}: {error.strerror or error}") from None
    if context.json:
        print_json(
            {"output": args.output, "try_number": try_number, "characters": written},
            context.stdout,
        )
    else:
        context.stdout.write(f"Wrote {written} characters of try {try_number} to {args.output}\n")
    return exit_codes.OK


def _latest_try(context: CommandContext) -> int:
    """The task instance's current try (1 for one that has not run: its log may still exist)."""
    args = context.args
    task_instance = context.api.get_task_instance(args.dag_id, args.task_id, args.execution_date)
    return max(task_instance.try_number or 0, 1)


def run_delete(context: CommandContext) -> int:
    args = context.args
    name = _name(args.dag_id, args.task_id, args.execution_date)
    if not args.yes and not _confirmed(context, f"Delete task instance {name}? [y/N] "):
        context.stderr.write("Not deleted.\n")
        return exit_codes.DECLINED
    context.api.delete_task_instance(args.dag_id, args.task_id, args.execution_date)
    if context.json:
        print_json({"deleted": True, "dag_id": args.dag_id, "task_id": args.task_id,
                    "execution_date": args.execution_date.isoformat()}, context.stdout)
    else:
        context.stdout.write(f"Deleted task instance {name}.\n")
    return exit_codes.OK


def _confirmed(context: CommandContext, question: str) -> bool:
    # The answer is read from stdin even when it is not a terminal, so `echo y | ...` works;
    # an empty stdin answers no.
    context.stderr.write(question)
    context.stderr.flush()
    answer = context.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def _name(dag_id: str, task_id: str, execution_date: datetime) -> str:
    return f"{dag_id}.{task_id} at {execution_date.isoformat()}"

"""What to say when the server has no DAG of the id a test asked for.

Most often a typo, or a DAG file that failed to import. The message names the DAGs the server
has (read with the SDK), and an import error only where it can be the cause: when the file that
failed to import mentions the DAG id. Other files' import errors are named as such, never as the
cause. Airflow's import errors are read with plain HTTP: the SDK has no operation for them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .plain_http import airflow3_token, basic_auth, bearer, request_json
from .processes import CommandFailed

if TYPE_CHECKING:
    from .server_handle import RealAirflow

__all__ = ["DagNotFound", "dag_not_found"]

# How many of the server's DAG ids the message lists.
_LISTED = 20


class DagNotFound(CommandFailed):
    """The server does not know the DAG; the message says which DAGs it has, and which file
    failed to import when one mentions the DAG id."""


def dag_not_found(server: RealAirflow, dag_id: str) -> DagNotFound:
    folders = ", ".join(str(folder) for folder in server.dag_folders) or "none given"
    text = f"Airflow {server.version} has no DAG {dag_id!r} (DAG folders: {folders})."
    known = _dag_ids(server)
    if known is not None:
        shown = ", ".join(known[:_LISTED]) + (" ..." if len(known) > _LISTED else "")
        text += f" Its DAGs: {shown or 'none'}."
    errors = _import_errors(server)
    causes = [(name, last) for name, last in errors if _mentions(name, dag_id)]
    others = [name for name, _ in errors if not _mentions(name, dag_id)]
    for name, last in causes:
        text += f" {name} mentions {dag_id!r} but failed to import: {last}"
    if not causes:
        text += f" No DAG file that failed to import mentions {dag_id!r}."
    if others:
        text += f" Other files that failed to import: {', '.join(others)}."
    return DagNotFound(text)


def _dag_ids(server: RealAirflow) -> Any:
    from ...api.dag_api import DAGApi

    try:
        return [str(dag.get("dag_id")) for dag in DAGApi(server.client).iter_dags(
            only_active=False)]
    except Exception:  # a message helper: a failed list leaves the list out, nothing more
        return None


def _import_errors(server: RealAirflow) -> list[tuple[str, str]]:
    """(file name, the last line of its stack trace) of each file Airflow failed to import."""
    admin = server.admin
    try:
        authorization = (basic_auth(admin.username, admin.password) if server.major == 2 else
                         bearer(airflow3_token(server.root_url, admin.username, admin.password)))
        status, answer = request_json("GET", f"{server.base_url}/importErrors", None,
                                      authorization)
    except (OSError, CommandFailed, KeyError, TypeError):
        return []
    if status != 200 or not isinstance(answer, dict):
        return []
    errors = []
    for error in answer.get("import_errors") or []:
        lines = str(error.get("stack_trace") or "").strip().splitlines()
        errors.append((str(error.get("filename")), lines[-1].strip() if lines else "(no trace)"))
    return errors


def _mentions(filename: str, dag_id: str) -> bool:
    try:
        return dag_id in Path(filename).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False

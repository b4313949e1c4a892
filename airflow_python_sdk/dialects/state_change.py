"""What `update_task_instance` may ask of a real Airflow server: a new state, a note, or both.

Airflow 2 and 3 let a client set a task instance's state to success, failed or skipped, and its
note; every other field is the scheduler's. The spec's PATCH takes a whole `TaskInstance` plus an
optional `update_mask`, so the request is checked here, before anything is sent: the fields it
asks to change must be `state` and/or `note`.

Which fields a call asks to change: those in `update_mask` when one is given (as the spec says),
otherwise every field set on the body except the ones that name the task instance (dag_id,
task_id, execution_date), which cannot change anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Optional

from airflow_python_sdk._errors import ApiTypeError, ApiValueError

__all__ = ["SETTABLE_STATES", "Change", "requested_change"]

SETTABLE_STATES = ("success", "failed", "skipped")
_NAMING_FIELDS = frozenset({"dag_id", "task_id", "execution_date"})


@dataclass(frozen=True)
class Change:
    """What one update asks for: a new state and/or a note (`sets_note`; None clears it)."""

    state: Optional[str] = None
    sets_note: bool = False
    note: Optional[str] = None


def requested_change(server: str, body: Mapping[str, Any],
                     update_mask: Optional[Sequence[str]]) -> Change:
    """The state and note the call asks for; ApiValueError naming what `server` supports
    otherwise."""
    if not isinstance(body, Mapping):
        # Only reachable with _check_input_type=False and a body that is not a TaskInstance.
        raise ApiTypeError(
            f"Invalid type for `task_instance`: expected TaskInstance, got {type(body).__name__}",
            path_to_item=["task_instance"],
        )
    mask = [name.strip() for name in update_mask or () if name.strip()]
    asked = set(mask) if mask else {name for name in body if name not in _NAMING_FIELDS}
    others = sorted(asked - {"state", "note"})
    supported = (f"{server} can only change a task instance's state, to "
                 f"{', '.join(SETTABLE_STATES)}, and its note")
    if others:
        raise ApiValueError(
            f"{supported}; this call also asks to change {', '.join(others)}. Pass "
            "update_mask=['state'] to change the state alone.",
            path_to_item=["task_instance", others[0]],
        )
    if not asked:
        raise ApiValueError(
            f"{supported}; this call asks to change nothing: set task_instance.state",
            path_to_item=["task_instance", "state"],
        )
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        raise ApiValueError(
            f"Invalid value for `task_instance.note`: {note!r} is not text",
            path_to_item=["task_instance", "note"],
        )
    if "state" not in asked:
        return Change(sets_note=True, note=note)
    state = body.get("state")
    if state not in SETTABLE_STATES:
        # str() first: a TaskState's repr names the enum, not the value the caller wrote.
        shown = "None" if state is None else repr(str(state))
        raise ApiValueError(
            f"{supported}, not to {shown}",
            path_to_item=["task_instance", "state"],
        )
    return Change(str(state), "note" in asked, note)

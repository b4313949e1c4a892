"""The DAG run operations that change runs, on real Airflow servers: trigger, update (state or
note), clear, delete. Each function is one operation of `RealAirflowDialect` (registered by
`dag_run_operations`) and answers an `Outcome`.

What differs between the servers, and how each function hides it:
- trigger: the body is the spec's `DAGRun` with only what a trigger may set (`dag_run_id`,
  `execution_date`, `conf`, `note`, the data interval); anything else is refused before sending,
  since both servers refuse it (400, 422). The execution date is Airflow 3's `logical_date`,
  a key Airflow 3 requires: the SDK sends the current time when the call gives no date (as
  Airflow 2 takes its own), and null when it gives None (Airflow 3's run without a logical date;
  Airflow 2 takes the current time then too). A trigger is a POST: never sent twice (see
  dialects/errors.py, `noted_unsure_write`, for what its error says then).
- update: the state (success, failed, queued) and the note, as `update_task_instance` does for
  a task instance: Airflow 2 takes the state in the run's PATCH and the note in `.../setNote`;
  Airflow 3 both in one PATCH, with `update_mask` naming them.
- clear: both servers' `POST .../clear` answer the task instances a dry run would clear, but the
  run itself for a real clear: a real clear asks the dry run first and answers its list, so both
  answer what was cleared.
- delete: `DELETE .../dagRuns/{run}` on both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Optional

from airflow_python_sdk._errors import ApiException, ApiValueError, ConflictException
from airflow_python_sdk._internal.datetimes import format_datetime
from airflow_python_sdk._operation import encode_path_segment as segment
from airflow_python_sdk.dialects import dag_answers, family_answers
from airflow_python_sdk.dialects.dag_requests import answered, send_about_dag
from airflow_python_sdk.dialects.errors import with_problem
from airflow_python_sdk.dialects.outcome import Outcome

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect

__all__ = ["dag_run_operations"]

# What a trigger's body may set; the other fields of a run are the server's.
_TRIGGER_FIELDS = ("dag_run_id", "execution_date", "conf", "note", "data_interval_start",
                   "data_interval_end")
RUN_STATES = ("success", "failed", "queued")


def dag_run_operations(dialect: RealAirflowDialect) -> dict[str, Callable[[Call], Outcome]]:
    """The operations that change DAG runs, bound to `dialect`, by operation id."""

    def bound(operation: Callable[[RealAirflowDialect, Call], Outcome]
              ) -> Callable[[Call], Outcome]:
        return lambda call: operation(dialect, call)

    return {
        "trigger_dag_run": bound(trigger_dag_run),
        "update_dag_run": bound(update_dag_run),
        "clear_dag_run": bound(clear_dag_run),
        "delete_dag_run": bound(delete_dag_run),
    }


def _run_path(call: Call, suffix: str = "") -> str:
    run_id = str(call.arguments["dag_run_id"])
    return f"/dags/{segment(call.dag_id)}/dagRuns/{segment(run_id)}{suffix}"


def _run_not_found(call: Call) -> str:
    return f"DAG run {str(call.arguments['dag_run_id'])!r} of DAG {call.dag_id!r} not found"


def _body(call: Call, model: str) -> dict[str, Any]:
    body = call.request.body
    if not isinstance(body, Mapping):
        # Only reachable with _check_input_type=False and a body that is not the model.
        raise ApiValueError(
            f"Invalid value for `{model}`: expected a JSON object, got {type(body).__name__}",
            path_to_item=[model],
        )
    return dict(body)


# -- trigger ------------------------------------------------------------------------------------

def trigger_dag_run(dialect: RealAirflowDialect, call: Call) -> Outcome:
    body = _trigger_body(dialect, call)
    try:
        answer = dialect.send(call, "POST", f"/dags/{segment(call.dag_id)}/dagRuns", body=body,
                              preload=call.preload)
    except ConflictException as exc:
        raise with_problem(exc, f"DAG {call.dag_id!r} already has a run with this dag_run_id "
                                "or execution date") from None
    except ApiException as exc:
        context = f"DAG {call.dag_id!r} not found" if exc.status == 404 else None
        raise with_problem(exc, context) from None
    return answered(dialect, answer, "POST", lambda document: (
        dag_answers.dag_run(call.codec, document, call.check)))


def _trigger_body(dialect: RealAirflowDialect, call: Call) -> dict[str, Any]:
    given = _body(call, "dag_run")
    if "logical_date" in given:
        # Airflow 3's name, as scripts written for it pass it in a dict.
        logical = given.pop("logical_date")
        if given.get("execution_date", logical) != logical:
            raise ApiValueError(
                "trigger_dag_run: execution_date and logical_date name different dates",
                path_to_item=["dag_run", "logical_date"],
            )
        given["execution_date"] = logical
    for name in given:
        if name not in _TRIGGER_FIELDS:
            raise ApiValueError(
                f"trigger_dag_run: `{name}` cannot be set when triggering a run ({dialect.server} "
                "sets it: a new run is queued); leave it out. A trigger sets "
                f"{', '.join(_TRIGGER_FIELDS)}",
                path_to_item=["dag_run", name],
            )
    conf = given.get("conf")
    if conf is not None and not isinstance(conf, dict):
        raise ApiValueError(
            f"trigger_dag_run: `conf` must be a JSON object (a dict), not {type(conf).__name__}",
            path_to_item=["dag_run", "conf"],
        )
    if (given.get("data_interval_start") is None) != (given.get("data_interval_end") is None):
        raise ApiValueError(
            "trigger_dag_run: give data_interval_start and data_interval_end together, or "
            "neither",
            path_to_item=["dag_run", "data_interval_start"],
        )
    body = {name: value for name, value in given.items()
            if value is not None and name != "execution_date"}
    when = given.get("execution_date")
    if when is not None:
        body[dialect.trigger_date_field] = when
    elif dialect.trigger_needs_date:
        # Airflow 3 requires the key: the current time unless the call says None on purpose.
        body[dialect.trigger_date_field] = (
            None if "execution_date" in given else format_datetime(datetime.now(timezone.utc)))
    return body


# -- update ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RunChange:
    """What one update of a run asks for: a new state and/or a note (None clears it)."""

    state: Optional[str] = None
    sets_note: bool = False
    note: Optional[str] = None


def requested_run_change(server: str, body: Mapping[str, Any],
                         update_mask: Optional[Sequence[str]]) -> RunChange:
    """The state and note the call asks for: those in `update_mask`, or without one those the
    body sets; ApiValueError naming what `server` supports otherwise."""
    mask = [str(name).strip() for name in update_mask or () if str(name).strip()]
    asked = set(mask) if mask else {name for name in ("state", "note") if name in body}
    supported = f"{server} can only change a DAG run's state (to {', '.join(RUN_STATES)}) and note"
    others = sorted(asked - {"state", "note"})
    if others:
        raise ApiValueError(f"{supported}; update_mask also names {', '.join(others)}",
                            path_to_item=["dag_run", others[0]])
    if not asked:
        raise ApiValueError(f"{supported}; this call asks to change nothing: set dag_run.state "
                            "or dag_run.note", path_to_item=["dag_run", "state"])
    note = body.get("note")
    if "note" in asked and note is not None and not isinstance(note, str):
        raise ApiValueError(f"Invalid value for `dag_run.note`: {note!r} is not text",
                            path_to_item=["dag_run", "note"])
    state = body.get("state") if "state" in asked else None
    if "state" in asked and state not in RUN_STATES:
        shown = "None" if state is None else repr(str(state))
        raise ApiValueError(f"{supported}, not to {shown}", path_to_item=["dag_run", "state"])
    return RunChange(None if state is None else str(state), "note" in asked, note)


def update_dag_run(dialect: RealAirflowDialect, call: Call) -> Outcome:
    change = requested_run_change(dialect.server, _body(call, "dag_run"),
                                  call.arguments.get("update_mask"))
    if not dialect.sets_run_note_apart:
        body: dict[str, Any] = {}
        if change.state is not None:
            body["state"] = change.state
        if change.sets_note:
            body["note"] = change.note
        answer = send_about_dag(dialect, call, "PATCH", _run_path(call), _run_not_found(call),
                                query=[("update_mask", name) for name in body], body=body)
        return _run_outcome(dialect, call, answer)
    if change.state is not None:
        answer = send_about_dag(dialect, call, "PATCH", _run_path(call), _run_not_found(call),
                                body={"state": change.state},
                                preload=True if change.sets_note else None)
        if not change.sets_note:
            return _run_outcome(dialect, call, answer)
    # Airflow 2's note has an endpoint of its own, which answers the run (as it is after the
    # state change too); it takes text, so no note is "".
    noted = send_about_dag(dialect, call, "PATCH", _run_path(call, "/setNote"),
                           _run_not_found(call), body={"note": change.note or ""})
    return _run_outcome(dialect, call, noted)


def _run_outcome(dialect: RealAirflowDialect, call: Call, answer: Any) -> Outcome:
    return answered(dialect, answer, "PATCH", lambda document: (
        dag_answers.dag_run(call.codec, document, call.check)))


# -- clear and delete --------------------------------------------------------------------------

def clear_dag_run(dialect: RealAirflowDialect, call: Call) -> Outcome:
    body = _body(call, "clear_dag_run")
    extra = sorted(set(body) - {"dry_run"})
    if extra:
        raise ApiValueError(
            f"clear_dag_run: ClearDagRun has dry_run alone, not {', '.join(extra)} (both servers "
            "refuse other fields)",
            path_to_item=["clear_dag_run", extra[0]],
        )
    dry_run = body.get("dry_run") is not False  # missing or null: a dry run
    path = _run_path(call, "/clear")
    listed = send_about_dag(dialect, call, "POST", path, _run_not_found(call),
                            body={"dry_run": True}, preload=True if not dry_run else None)
    if dry_run:
        return answered(dialect, listed, "POST", lambda document: (
            family_answers.references(call.codec, document, call.check)))
    cleared = send_about_dag(dialect, call, "POST", path, _run_not_found(call),
                             body={"dry_run": False})
    if cleared.response.stream is not None:
        return Outcome(None, cleared.response)
    # What the dry run listed is what was cleared; each has no state now.
    document = listed.document
    if isinstance(document, dict) and isinstance(document.get("task_instances"), list):
        items = [{k: v for k, v in item.items() if k != "state"} if isinstance(item, dict)
                 else item for item in document["task_instances"]]
        document = {**document, "task_instances": items}
    references = dialect.mapped(cleared, "POST", lambda: family_answers.references(
        call.codec, document, call.check))
    return Outcome(references, cleared.response)


def delete_dag_run(dialect: RealAirflowDialect, call: Call) -> Outcome:
    answer = send_about_dag(dialect, call, "DELETE", _run_path(call), _run_not_found(call))
    return Outcome(None, answer.response)

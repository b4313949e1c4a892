"""Clear and bulk state on real Airflow servers: the actions of the task-instance family.

The spec's bodies are sent with every safe default filled (`dry_run`, `only_failed`,
`reset_dag_runs`, ..., see openapi.yaml), because the servers' own defaults differ.

- clear: `POST /dags/{dag}/clearTaskInstances` on both, `dry_run` in the body. Airflow 3 has
  no SubDAGs and refuses unknown fields (422), so `include_subdags`/`include_parentdag` are left
  out when false and refused before sending when true.
- bulk state: Airflow 2 has `POST /dags/{dag}/updateTaskInstancesState` with the spec's body.
  Airflow 3 has not: its state change is a `PATCH` of the task instance in its run (found by
  execution date) with the `include_*` flags, which refuses a `dry_run` field; a dry run is the
  same PATCH to `.../dry_run`, which also lists what the change would touch: a real change
  asks it first (the PATCH's own answer lists the named task's instances only), and is sent
  only once that answer has been read: an error means nothing changed.
Only an explicit `dry_run: false` changes anything (a null one is sent as true, see
`_operation/request.py`).
Airflow 2 answers references, Airflow 3 whole task instances: both become references.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from airflow_python_sdk._errors import (
    ApiException,
    ApiTypeError,
    ApiValueError,
    NotFoundException,
    UnsupportedOperationException,
)
from airflow_python_sdk._operation import encode_path_segment as segment
from airflow_python_sdk.dialects import family_answers
from airflow_python_sdk.dialects.errors import with_problem
from airflow_python_sdk.dialects.outcome import Outcome
from airflow_python_sdk.dialects.run_lookup import instant_of
from airflow_python_sdk.dialects.wire import Answer

if TYPE_CHECKING:
    from airflow_python_sdk.dialects.base import Call, RealAirflowDialect

__all__ = ["clear_task_instances", "update_task_instances_state"]

_SUBDAG_FIELDS = ("include_subdags", "include_parentdag")
_PATCH_FLAGS = ("include_upstream", "include_downstream", "include_future", "include_past")


def _body(call: Call, model: str) -> dict[str, Any]:
    body = call.request.body
    if not isinstance(body, Mapping):
        # Only reachable with _check_input_type=False and a body that is not the model.
        raise ApiTypeError(
            f"Invalid type for `{model}`: expected a JSON object, got {type(body).__name__}",
            path_to_item=[model],
        )
    return dict(body)


def _references(dialect: RealAirflowDialect, call: Call, answer: Answer, method: str
                ) -> Outcome:
    if answer.response.stream is not None:
        return Outcome(None, answer.response)
    found = answer.document
    changed = dialect.mapped(answer, method, lambda: family_answers.references(
        call.codec, found, call.check))
    return Outcome(changed, answer.response)


def _send_about_dag(dialect: RealAirflowDialect, call: Call, method: str, path: str,
                    body: Any) -> Answer:
    try:
        return dialect.send(call, method, path, body=body, preload=call.preload)
    except NotFoundException as exc:
        raise with_problem(exc, f"DAG {call.dag_id!r} not found") from None
    except ApiException as exc:
        raise with_problem(exc) from None


def clear_task_instances(dialect: RealAirflowDialect, call: Call) -> Outcome:
    body = _body(call, "clear_task_instance")
    if not dialect.has_subdags:
        for name in _SUBDAG_FIELDS:
            if body.pop(name, None):
                raise UnsupportedOperationException(
                    call.endpoint.operation_id, dialect.server,
                    f"{dialect.server} has no SubDAGs, so `{name}` cannot be true; nothing "
                    "was sent",
                )
    answer = _send_about_dag(dialect, call, "POST",
                             f"/dags/{segment(call.dag_id)}/clearTaskInstances", body)
    return _references(dialect, call, answer, "POST")


def update_task_instances_state(dialect: RealAirflowDialect, call: Call) -> Outcome:
    body = _body(call, "update_task_instances_state")
    if not dialect.changes_state_by_patch:
        answer = _send_about_dag(dialect, call, "POST",
                                 f"/dags/{segment(call.dag_id)}/updateTaskInstancesState", body)
        return _references(dialect, call, answer, "POST")
    # Airflow 3: the task instance's own PATCH, in the run of the execution date.
    for name in ("task_id", "execution_date", "new_state"):
        if body.get(name) is None:
            raise ApiValueError(
                f"update_task_instances_state: `{name}` must be set: {dialect.server} changes "
                "the state of one task's instances in one run (and, with the include_* flags, "
                "of those around them)",
                path_to_item=["update_task_instances_state", name],
            )
    call.task_id = str(body["task_id"])
    call.when = instant_of(body["execution_date"])
    patch = {"new_state": body["new_state"]}
    patch.update({name: bool(body.get(name)) for name in _PATCH_FLAGS})
    # Only an explicit false changes anything: a missing or null dry_run is a dry run.
    real = body.get("dry_run") is False
    # Airflow 3's PATCH answers only the instances of the task it names, not those the
    # include_* flags changed with them; its dry run lists them all. So a change asks the dry
    # run first, and answers what it listed (now in the new state), as Airflow 2 does.
    dry = dialect.send_about_task_instance(call, "PATCH", "/dry_run", body=patch,
                                           preload=call.preload or real)
    if not real:
        return _references(dialect, call, dry, "PATCH")
    # The dry run's answer is read before anything changes: an answer that cannot be read
    # stops the change, so that an error means nothing was changed.
    state = str(body["new_state"])
    changed = dialect.mapped(dry, "PATCH", lambda: _planned(call, dry.document, state))
    answer = dialect.send_about_task_instance(call, "PATCH", body=patch, preload=call.preload)
    if answer.response.stream is not None:
        return Outcome(None, answer.response)
    return Outcome(changed, answer.response)


def _planned(call: Call, document: Any, state: str) -> Any:
    """What the dry run listed, as references in the new state; its answer's errors say that
    the change was not sent."""
    try:
        return family_answers.references(call.codec, _in_state(document, state), call.check)
    except ApiTypeError as error:
        raise ApiTypeError(f"the dry run's answer cannot be read, so the change was not sent "
                           f"and nothing was changed: {error}",
                           path_to_item=error.path_to_item) from None
    except ApiValueError as error:
        raise ApiValueError(f"the dry run's answer cannot be read, so the change was not sent "
                            f"and nothing was changed: {error}",
                            path_to_item=error.path_to_item) from None


def _in_state(document: Any, state: str) -> Any:
    """The dry run's list, each task instance in the state the change gave it."""
    if not isinstance(document, dict) or not isinstance(document.get("task_instances"), list):
        return document
    listed = [{**item, "state": state} if isinstance(item, dict) else item
              for item in document["task_instances"]]
    return {**document, "task_instances": listed}

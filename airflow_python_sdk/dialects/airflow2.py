"""Airflow 2.x (`/api/v1`, HTTP basic auth): task instances addressed by DAG run id.

What differs from the spec, and what this dialect does about it:
- the run is found by `execution_date_gte/lte` (see run_lookup.py);
- links are a plain map of name to URL;
- a log chunk's `content` is the text of a Python list of (host, text) tuples (read without
  evaluating it, see logs_text.py), and its token never says the log has ended (see log_end.py);
- a state change is `PATCH {"dry_run": false, "new_state": ...}` (without `dry_run: false` nothing
  changes), which answers `{}`, and a note is `PATCH .../setNote {"note": ...}`: the task
  instance is read back afterwards;
- there is no endpoint that deletes a task instance, nor one that changes many at once: a bulk
  change is one PATCH per task instance (see bulk_one_by_one.py).
"""

from __future__ import annotations

from typing import Any, Optional

from airflow_python_sdk._errors import ApiTypeError
from airflow_python_sdk.dialects.base import Call, RealAirflowDialect
from airflow_python_sdk.dialects.errors import unsupported
from airflow_python_sdk.dialects.log_end import airflow2_next_token
from airflow_python_sdk.dialects.logs_text import airflow2_log_text
from airflow_python_sdk.dialects.outcome import Outcome
from airflow_python_sdk.dialects.state_change import requested_change

__all__ = ["Airflow2Dialect"]


class Airflow2Dialect(RealAirflowDialect):
    server = "Airflow 2"
    api_prefix = "/api/v1"
    run_date_filter = "execution_date"
    run_date_fields = ("execution_date", "logical_date")
    can_sort_task_instances = False
    task_ids_in_query = 0
    has_subdags = True
    changes_state_by_patch = False
    only_active_filter = "only_active"
    every_dag_pattern_in_lists = False  # its list would look for a "~" in the ids
    dag_orders = ("dag_id", "-dag_id")
    bulk_pause_by_page = True
    bulk_pause_filters_paused = False
    trigger_date_field = "execution_date"  # read as its logical_date
    trigger_needs_date = False  # it takes the current time
    sets_run_note_apart = True
    dag_runs_take_fields = True

    def auth_headers(self, call: Call) -> dict[str, str]:
        return call.channel.auth_headers(("basicAuth",))

    def links_map(self, document: Any) -> Any:
        return document

    def log_chunk(self, document: Any, sent_token: Optional[str]) -> dict[str, Any]:
        if not isinstance(document, dict):
            raise ApiTypeError(
                f"Invalid type for `InlineResponse200`: expected a JSON object, got "
                f"{type(document).__name__}",
                path_to_item=["InlineResponse200"],
            )
        content = document.get("content")
        text = airflow2_log_text(content) if isinstance(content, str) else str(content or "")
        token = document.get("continuation_token")
        return {
            "content": text,
            "continuation_token": airflow2_next_token(
                text, token if isinstance(token, str) else None, sent_token),
        }

    def update_task_instance(self, call: Call) -> Outcome:
        change = requested_change(self.server, call.request.body or {},
                                  call.arguments.get("update_mask"))
        if change.state is not None:
            patch = self.send_about_task_instance(
                call, "PATCH", body=self.state_patch(change.state), preload=call.preload)
            if patch.response.stream is not None:
                return Outcome(None, patch.response)
        if change.sets_note:
            # The note has an endpoint of its own, which answers the task instance (as it is
            # after the state change too, if there was one).
            noted = self.send_about_task_instance(call, "PATCH", "/setNote",
                                                  body={"note": change.note or ""},
                                                  preload=call.preload)
            if noted.response.stream is not None:
                return Outcome(None, noted.response)
            return self.task_instance_outcome(call, noted, "PATCH")
        # Airflow 2 answers the state PATCH with `{}`: the task instance is read back.
        return self.read_task_instance(call)

    def state_patch(self, state: str) -> dict[str, Any]:
        # Without an explicit dry_run false, Airflow 2's PATCH changes nothing.
        return {"dry_run": False, "new_state": state}

    def delete_task_instance(self, call: Call) -> Outcome:
        raise unsupported(
            "delete_task_instance",
            self.server,
            "Airflow 2's REST API has no endpoint that deletes a task instance (it answers 405); "
            "nothing was sent. Set its state with update_task_instance instead, or delete it "
            "on Airflow 3.",
        )

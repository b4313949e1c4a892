"""Airflow 3.x (`/api/v2`, JWT bearer tokens): task instances addressed by DAG run id.

What differs from the spec, and what this dialect does about it:
- requests carry `Authorization: Bearer <token>` from `POST /auth/token` (see auth_token.py);
- the run is found by `logical_date_gte/lte`; task instances say `logical_date` for the
  spec's `execution_date` (see answers.py);
- links come as `{"extra_links": {name: url}, "total_entries": n}`;
- a log chunk's `content` is a list of structured entries, rendered as text lines and also kept
  as the unknown field `entries` of the answer; its token is null once the log has ended;
- a state change is `PATCH {"new_state": ...}` (and a note `{"note": ...}`), with
  `update_mask` naming what changes, which answers the changed task instances; the same state
  again is answered 409, which counts as success once the task instance, read back, has that
  state;
- DELETE exists and answers 200 with `null`;
- many task instances of a run change with one `PATCH .../dagRuns/{run}/taskInstances`, which
  answers 200 with each one's success or error (see bulk_airflow3.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Optional

from airflow_python_sdk._errors import ApiTypeError, ConflictException
from airflow_python_sdk._internal.redaction import Secret
from airflow_python_sdk.dialects.auth_token import BearerTokens
from airflow_python_sdk.dialects.base import Call, RealAirflowDialect
from airflow_python_sdk.dialects.log_entries import render_entries
from airflow_python_sdk.dialects.outcome import Outcome
from airflow_python_sdk.dialects.state_change import requested_change
from airflow_python_sdk.dialects.wire import server_root

__all__ = ["Airflow3Dialect"]

_BEARER = "Bearer "


class Airflow3Dialect(RealAirflowDialect):
    server = "Airflow 3"
    api_prefix = "/api/v2"
    run_date_filter = "logical_date"
    run_date_fields = ("logical_date",)
    # 3.3 and later; earlier 3.x ignore `cursor` and answer by offset, which the walk notices.
    walks_by_cursor = True
    has_bulk_endpoint = True  # 3.1 and later; 3.0 answers 405, and the SDK goes one at a time

    def __init__(self) -> None:
        super().__init__()
        self.tokens = BearerTokens()

    def auth_headers(self, call: Call) -> dict[str, str]:
        token = self.tokens.current(call.channel, server_root(call.base), call.options)
        return {"Authorization": Secret(_BEARER + token)} if token else {}

    def renew_credentials(self, call: Call, refused: Mapping[str, str]) -> bool:
        sent = refused.get("Authorization", "")
        token = sent[len(_BEARER):] if sent.startswith(_BEARER) else None
        return self.tokens.renew(call.channel, server_root(call.base), call.options, token)

    def links_map(self, document: Any) -> Any:
        if isinstance(document, dict) and isinstance(document.get("extra_links"), dict):
            return document["extra_links"]
        raise ApiTypeError(
            "Invalid type for the extra links: expected {\"extra_links\": {name: url}}",
            path_to_item=["ExtraLinkCollection", "extra_links"],
        )

    def log_chunk(self, document: Any, sent_token: Optional[str]) -> dict[str, Any]:
        if not isinstance(document, dict):
            raise ApiTypeError(
                f"Invalid type for `InlineResponse200`: expected a JSON object, got "
                f"{type(document).__name__}",
                path_to_item=["InlineResponse200"],
            )
        content = document.get("content")
        token = document.get("continuation_token")
        chunk: dict[str, Any] = {"continuation_token": token if isinstance(token, str) and token
                                 else None}
        if isinstance(content, list):
            chunk["content"] = render_entries(content)
            chunk["entries"] = content
        else:
            chunk["content"] = "" if content is None else str(content)
        return chunk

    def update_task_instance(self, call: Call) -> Outcome:
        change = requested_change(self.server, call.request.body or {},
                                  call.arguments.get("update_mask"))
        body: dict[str, Any] = {}
        if change.state is not None:
            body["new_state"] = change.state
        mask: list[tuple[str, str]] = []
        if change.sets_note:
            # With a note (which may be null, to clear it), update_mask says what changes.
            body["note"] = change.note
            mask = [("update_mask", name) for name in body]
        try:
            patch = self.send_about_task_instance(call, "PATCH", query=mask, body=body,
                                                  preload=call.preload)
        except ConflictException as conflict:
            # Airflow 3 refuses to set the state a task instance already has; for the caller
            # that is success, provided the task instance really has it (and the note asked
            # for, if any).
            outcome = self.read_task_instance(call)
            if outcome.data.get("state") == change.state and (
                    not change.sets_note or outcome.data.get("note") == change.note):
                return outcome
            raise conflict from None
        if patch.response.stream is not None:
            return Outcome(None, patch.response)
        changed = self._changed_task_instance(call, patch.document)
        if changed is not None:
            return self.task_instance_outcome(call, patch, "PATCH", changed)
        return self.read_task_instance(call)

    @staticmethod
    def _changed_task_instance(call: Call, document: Any) -> Any:
        """The call's own task instance among those the PATCH answer lists, if it is there."""
        listed = document.get("task_instances") if isinstance(document, dict) else None
        for candidate in listed or ():
            if (isinstance(candidate, dict) and candidate.get("task_id") == call.task_id
                    and candidate.get("map_index", -1) == call.map_index):
                return candidate
        return None

    def delete_task_instance(self, call: Call) -> Outcome:
        answer = self.send_about_task_instance(call, "DELETE", preload=call.preload)
        return Outcome(None, answer.response)

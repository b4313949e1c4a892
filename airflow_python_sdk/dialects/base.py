"""What Airflow 2 and Airflow 3 dialects share: addressing by run id, the call flow, errors.

A dialect receives each of the spec's operations (`call`), checks the arguments exactly as the
spec's own path would (`build_request`, so bad input is refused before anything is sent), finds
the DAG run of the execution date, makes the real server's requests and maps the answers back to
the spec's models. Each operation answers an `Outcome` (its data and the answer it came from);
`Outcome.result` applies `_return_http_data_only` and `_preload_content` (an unread answer is the
real server's, in its own shape), `ApiClient.call_endpoint` applies `async_req`, and
`_request_timeout` and `_retries` apply to every request the operation makes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Optional

from airflow_python_sdk._errors import (
    ApiException,
    NotFoundException,
    RunNotFoundException,
    UnauthorizedException,
    UnsupportedOperationException,
)
from airflow_python_sdk._internal.datetimes import format_datetime
from airflow_python_sdk._operation import CallOptions, Endpoint, PreparedRequest, build_request
from airflow_python_sdk._operation import encode_path_segment as segment
from airflow_python_sdk.dialects import answers
from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.dialects.codec import Codec
from airflow_python_sdk.dialects.dag_operations import dag_operations
from airflow_python_sdk.dialects.dag_run_operations import dag_run_operations
from airflow_python_sdk.dialects.errors import noted_unsure_write, with_problem
from airflow_python_sdk.dialects.family import family_operations
from airflow_python_sdk.dialects.outcome import Outcome
from airflow_python_sdk.dialects.run_lookup import RunLookup, instant_of
from airflow_python_sdk.dialects.wire import Answer, api_base, exchange
from airflow_python_sdk.model.inline_response200 import InlineResponse200

__all__ = ["Call", "RealAirflowDialect"]


@dataclass
class Call:
    """One operation call on its way to a real server."""

    channel: Channel
    endpoint: Endpoint
    arguments: Mapping[str, Any]
    options: CallOptions
    request: PreparedRequest  # the spec's request: its checked body is what update sends
    base: str  # the server's API root, e.g. http://host:8080/api/v2
    dag_id: str  # "" for the operations about every DAG (get_dags, update_dags)
    task_id: str = ""  # "" for the operations about a whole DAG (lists, clear, bulk state)
    when: Optional[datetime] = None  # the execution date, for operations about one run
    map_index: int = -1
    run_id: Optional[str] = None
    run_was_remembered: bool = False

    @property
    def check(self) -> bool:
        return self.options._check_return_type

    @property
    def preload(self) -> bool:
        return self.options._preload_content

    @property
    def codec(self) -> Codec:
        return self.channel.codec

    def task_instance_path(self, with_map_index: bool = False) -> str:
        """The task instance's path; with its map index as a segment when `with_map_index` and
        the call is about a mapped instance (the other requests take it in the query)."""
        assert self.run_id is not None
        path = (f"/dags/{segment(self.dag_id)}/dagRuns/{segment(self.run_id)}"
                f"/taskInstances/{segment(self.task_id)}")
        if with_map_index and self.map_index != -1:
            path += f"/{self.map_index}"
        return path

    def map_index_query(self) -> list[tuple[str, str]]:
        """`map_index=n` for a mapped instance, nothing for the unmapped one."""
        return [] if self.map_index == -1 else [("map_index", str(self.map_index))]

    def describe(self) -> str:
        """Which task instance this call is about, for error messages."""
        mapped = f", map index {self.map_index}" if self.map_index != -1 else ""
        where = [f"run {self.run_id!r}"] if self.run_id else []
        if self.when is not None:  # a bulk change addresses its run by id alone
            where.append(f"execution date {format_datetime(self.when)}")
        return (f"task instance {self.task_id!r}{mapped} of DAG {self.dag_id!r} "
                f"({', '.join(where) or 'execution date unknown'})")


Operation = Callable[[Call], Outcome]


class RealAirflowDialect:
    """The shared flow; subclasses say how to authenticate and how their answers look."""

    server = "Airflow"
    api_prefix = "/api/v1"
    run_date_filter = "execution_date"
    run_date_fields: tuple[str, ...] = ("execution_date",)
    # What the task-instance family needs to know of the server (see family.py).
    can_sort_task_instances = True  # its task-instance list takes `order_by`
    task_ids_in_query = 1  # how many task ids its task-instance list's query takes
    has_subdags = False  # its clear takes include_subdags / include_parentdag
    changes_state_by_patch = True  # no updateTaskInstancesState: a PATCH of the task instance
    # Its PATCH .../dagRuns/{run}/taskInstances changes many task instances of a run (Airflow
    # 3.1+); a 405 to it turns it off for the client (see bulk_operation.py).
    has_bulk_endpoint = False
    # What the DAG and DAG run operations need to know (see dag_operations.py and
    # dag_run_operations.py).
    only_active_filter = "exclude_stale"  # the DAG lists' name for the spec's only_active
    every_dag_pattern_in_lists = True  # its DAG list takes dag_id_pattern=~ for every DAG
    dag_orders: Optional[tuple[str, ...]] = None  # the only order_by its DAG list takes
    bulk_pause_by_page = False  # its PATCH /dags changes the page it answers, not every match
    bulk_pause_filters_paused = True  # its PATCH /dags takes `paused`
    trigger_date_field = "logical_date"  # the trigger body's name for the execution date
    trigger_needs_date = True  # the trigger body must have the date's key (null allowed)
    sets_run_note_apart = False  # a run's note has an endpoint of its own (.../setNote)
    dag_runs_take_fields = False  # its list of runs takes `fields` (a projection)
    walks_by_cursor = False  # its lists of task instances and DAG runs take `cursor` (3.3+)

    def __init__(self) -> None:
        self.runs = RunLookup(self.run_date_filter, self.run_date_fields)
        self._operations: dict[str, Operation] = {
            "get_task_instance": self.get_task_instance,
            "get_extra_links": self.get_extra_links,
            "get_logs": self.get_logs,
            "update_task_instance": self.update_task_instance,
            "delete_task_instance": self.delete_task_instance,
            **family_operations(self),
            **dag_operations(self),
            **dag_run_operations(self),
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"

    # -- the Dialect protocol -------------------------------------------------------------------

    def call(self, channel: Channel, endpoint: Endpoint, arguments: Mapping[str, Any],
             options: CallOptions) -> Outcome:
        try:
            return self._call(channel, endpoint, arguments, options)
        except ApiException as exc:
            # A trigger that failed once the server may have seen it says the run may exist.
            raise noted_unsure_write(endpoint.operation_id, exc) from exc.__cause__

    def _call(self, channel: Channel, endpoint: Endpoint, arguments: Mapping[str, Any],
              options: CallOptions) -> Outcome:
        request = build_request(endpoint, arguments, options._check_input_type)
        operation = self._operations.get(endpoint.operation_id)
        if operation is None:
            raise UnsupportedOperationException(
                endpoint.operation_id, self.server,
                f"{endpoint.operation_id} is not mapped onto {self.server} by this SDK; use the "
                "spec dialect (a server built from openapi.yaml)",
            )
        base = api_base(channel.host_for(options._host_index), self.api_prefix, self.server)
        call = Call(channel, endpoint, arguments, options, request, base,
                    str(arguments.get("dag_id") or ""))
        if "execution_date" in endpoint.path:  # an operation about one task instance
            call.task_id = str(arguments["task_id"])
            call.when = instant_of(arguments["execution_date"])
            map_index = arguments.get("map_index")
            call.map_index = -1 if map_index is None else int(map_index)
        try:
            return operation(call)
        except NotFoundException:
            if not call.run_was_remembered:
                raise
        # The remembered run id is gone (the run was deleted, or made again with a new id):
        # forget it and make the call once more with a fresh lookup.
        assert call.when is not None  # only a call about one run remembers one
        self.runs.forget(base, call.dag_id, call.when)
        call.run_id, call.run_was_remembered = None, False
        return operation(call)

    # -- sending ------------------------------------------------------------------------------

    def auth_headers(self, call: Call) -> dict[str, str]:
        """The credentials of a request to the API."""
        raise NotImplementedError

    def renew_credentials(self, call: Call, refused: Mapping[str, str]) -> bool:
        """After a 401: whether new credentials were obtained, so that a retry makes sense."""
        return False

    def send(self, call: Call, method: str, path: str, *,
             query: Optional[list[tuple[str, str]]] = None, body: Any = None,
             preload: bool = True) -> Answer:
        """One authenticated request to the API; a 401 is retried once with new credentials."""
        headers = self.auth_headers(call)
        try:
            return exchange(call.channel, method, call.base, path, call.options, headers=headers,
                            query=query or [], body=body, preload=preload)
        except UnauthorizedException:
            if not self.renew_credentials(call, headers):
                raise
        return exchange(call.channel, method, call.base, path, call.options,
                        headers=self.auth_headers(call), query=query or [], body=body,
                        preload=preload)

    def resolve_run(self, call: Call) -> str:
        """The run id of the call's execution date, found once per client and remembered."""
        if call.run_id is None:
            assert call.when is not None, "only an operation about one run looks its run up"
            when = call.when
            before = self.runs.remembered(call.base, call.dag_id, when)

            def fetch(path: str, query: list[tuple[str, str]]) -> Answer:
                return self.send(call, "GET", path, query=query)

            try:
                call.run_id = self.runs.run_id(call.base, call.dag_id, when, fetch)
            except RunNotFoundException:
                raise  # the SDK's own conclusion already says all there is to say
            except NotFoundException as exc:
                # The server's 404 to the list of runs: the DAG itself is unknown (Airflow 3).
                raise with_problem(exc, f"DAG {call.dag_id!r} not found") from None
            except ApiException as exc:
                raise with_problem(exc) from None
            call.run_was_remembered = before is not None
        return call.run_id

    def send_about_task_instance(self, call: Call, method: str, suffix: str = "", *,
                                 query: Optional[list[tuple[str, str]]] = None,
                                 body: Any = None, preload: bool = True) -> Answer:
        """A request to the task instance's path (plus `suffix`); errors say which one."""
        self.resolve_run(call)
        # The task instance itself, its tries and (Airflow 2) its note take the map index as a
        # path segment; logs, links, XCom and the delete take it in the query.
        in_path = suffix in ("", "/tries", "/setNote") and method != "DELETE"
        query = list(query or []) + ([] if in_path else call.map_index_query())
        try:
            return self.send(call, method, call.task_instance_path(in_path) + suffix,
                             query=query, body=body, preload=preload)
        except NotFoundException as exc:
            raise with_problem(exc, f"{call.describe()} not found") from None
        except ApiException as exc:
            raise with_problem(exc) from None

    @staticmethod
    def mapped(answer: Answer, method: str, build: Callable[[], Any]) -> Any:
        """`build()`, the mapping of a 2xx answer; its type errors name the answer."""
        return Codec.mapped(build, status=answer.status, body=answer.response.data,
                            method=method, url=answer.url)

    def task_instance_outcome(self, call: Call, answer: Answer, method: str,
                              document: Any = None) -> Outcome:
        """The task instance in `answer` (or `document`, taken from it) as the spec's model."""
        found = answer.document if document is None else document
        ti = self.mapped(answer, method, lambda: answers.task_instance(call.codec, found,
                                                                       call.check))
        return Outcome(ti, answer.response)

    def read_task_instance(self, call: Call, preload: bool = True) -> Outcome:
        """GET the task instance and map it: the one way every operation reads it (back)."""
        answer = self.send_about_task_instance(call, "GET", preload=preload)
        if answer.response.stream is not None:
            return Outcome(None, answer.response)
        return self.task_instance_outcome(call, answer, "GET")

    # -- the operations -----------------------------------------------------------------------

    def get_task_instance(self, call: Call) -> Outcome:
        return self.read_task_instance(call, preload=call.preload)

    def get_extra_links(self, call: Call) -> Outcome:
        answer = self.send_about_task_instance(call, "GET", "/links", preload=call.preload)
        if answer.response.stream is not None:
            return Outcome(None, answer.response)
        links = self.mapped(answer, "GET", lambda: answers.extra_links(
            call.codec, self.links_map(answer.document), call.check))
        return Outcome(links, answer.response)

    def get_logs(self, call: Call) -> Outcome:
        arguments = call.arguments
        query: list[tuple[str, str]] = []
        if arguments.get("full_content") is not None:
            query.append(("full_content", "true" if arguments["full_content"] else "false"))
        token = arguments.get("token")
        # The draft typed the token as a boolean; a boolean is no continuation token, so it
        # reads the log from its beginning.
        sent_token = None
        if token is not None and not isinstance(token, bool) and str(token):
            sent_token = str(token)
            query.append(("token", sent_token))
        try_number = segment(str(arguments["task_try_number"]))
        answer = self.send_about_task_instance(call, "GET", f"/logs/{try_number}", query=query,
                                               preload=call.preload)
        if answer.response.stream is not None:
            return Outcome(None, answer.response)
        model = self.mapped(answer, "GET", lambda: call.codec.to_type(
            self.log_chunk(answer.document, sent_token), InlineResponse200, call.check))
        return Outcome(model, answer.response)

    def update_task_instance(self, call: Call) -> Outcome:
        raise NotImplementedError

    def state_patch(self, state: str) -> dict[str, Any]:
        """The body of the PATCH that sets a task instance's state."""
        return {"new_state": state}

    def delete_task_instance(self, call: Call) -> Outcome:
        raise NotImplementedError

    # -- the shapes of the server's answers ------------------------------------------------------

    def links_map(self, document: Any) -> Any:
        """The map of link name to URL in the links answer."""
        raise NotImplementedError

    def log_chunk(self, document: Any, sent_token: Optional[str]) -> dict[str, Any]:
        """A log answer as the spec's InlineResponse200 fields (plus any extra ones);
        `sent_token` is the continuation token the request carried, if any."""
        raise NotImplementedError

"""Type-checked, never run: what mypy (strict) infers for the generated API's calls.

`make typecheck` checks this file (pyproject.toml, [tool.mypy] files). Every method has two
overloads: the usual call returns the answer's model, a call with the original client's keywords
`async_req`, `_return_http_data_only` or `_preload_content` (other than their defaults) returns
`Any`. The other results are typed through the accessors `with_http_info`,
`without_preload_content` and `in_background`, which keep the method's parameters.

A `# type: ignore[code]` below marks a call mypy must reject: strict mypy warns about an ignore
it does not need, so each of them proves that the error is still reported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime, timezone
from typing import Any

from typing_extensions import assert_type
from urllib3.response import HTTPResponse

from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api_client import AsyncResult
from airflow_python_sdk.apis import DAGApi, DAGRunApi, PoolApi, XComApi
from airflow_python_sdk.model.clear_task_instance import ClearTaskInstance
from airflow_python_sdk.model.dag_run import DAGRun
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.inline_response200 import InlineResponse200
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_instance_collection import TaskInstanceCollection
from airflow_python_sdk.model.task_instance_reference_collection import (
    TaskInstanceReferenceCollection,
)
from airflow_python_sdk.model.x_com import XCom
from airflow_python_sdk.model.x_com_collection_item import XComCollectionItem
from airflow_python_sdk.transport.types import RawResponse

__all__ = ["accessors", "legacy_keywords", "pagers", "usual_calls"]

DATE = "2026-11-26T00:00:00+00:00"
WHEN = datetime(2026, 11, 26, tzinfo=timezone.utc)
Answer = tuple[TaskInstance, int, Mapping[str, str]]


def usual_calls(api: TaskInstanceApi, dags: DAGApi, xcoms: XComApi) -> None:
    assert_type(api.get_task_instance("d", "t", DATE), TaskInstance)
    assert_type(api.get_task_instance("d", 3, WHEN, _request_timeout=5, _retries=0,
                                      _check_input_type=False, _host_index=0), TaskInstance)
    # The result-shaping keywords at their default values are still the usual call.
    assert_type(api.get_task_instance("d", "t", DATE, async_req=False, _preload_content=True,
                                      _return_http_data_only=True), TaskInstance)
    assert_type(api.get_extra_links("d", "t", DATE, map_index=2), ExtraLinkCollection)
    assert_type(api.get_logs("d", "t", DATE, 1, full_content=True), InlineResponse200)
    assert_type(api.delete_task_instance("d", "t", DATE), None)
    assert_type(api.update_task_instance("d", "t", DATE, TaskInstance()), TaskInstance)
    assert_type(api.get_task_instances("d", state=None, limit=10), TaskInstanceCollection)
    assert_type(dags.clear_task_instances("d", ClearTaskInstance(dry_run=True)),
                TaskInstanceReferenceCollection)
    assert_type(xcoms.get_x_com_value("d", "t", DATE, "key"), XCom)
    # A body is also a dict of its fields, as at run time; not any other value.
    assert_type(dags.clear_task_instances("d", {"dry_run": True, "start_date": WHEN}),
                TaskInstanceReferenceCollection)
    assert_type(api.update_task_instance("d", "t", DATE, {"state": "success"}), TaskInstance)
    dags.clear_task_instances("d", ["dry_run"])  # type: ignore[call-overload]
    # Parameters stay checked: a wrong type, an unknown keyword, a missing argument.
    api.get_logs("d", "t", DATE, "one")  # type: ignore[call-overload]
    api.get_task_instance("d", "t", DATE, try_index=3)  # type: ignore[call-overload]
    api.get_logs("d", "t", DATE)  # type: ignore[call-overload]


def accessors(api: TaskInstanceApi) -> None:
    assert_type(api.with_http_info.get_task_instance("d", "t", DATE), Answer)
    assert_type(api.with_http_info.delete_task_instance("d", "t", DATE),
                tuple[None, int, Mapping[str, str]])
    assert_type(api.without_preload_content.get_task_instance("d", "t", DATE), RawResponse)
    assert_type(api.without_preload_content.get_logs("d", "t", DATE, 1), HTTPResponse)
    assert_type(api.in_background.get_task_instance("d", "t", DATE), AsyncResult[TaskInstance])
    assert_type(api.in_background.get_task_instance("d", "t", DATE).get(), TaskInstance)
    assert_type(api.in_background.get_logs("d", "t", DATE, 1, full_content=False).get(timeout=5),
                InlineResponse200)
    assert_type(api.in_background.get_task_instances("d", limit=5),
                AsyncResult[TaskInstanceCollection])
    # The accessors keep the method's parameters, by position and by keyword.
    assert_type(api.with_http_info.get_task_instance(dag_id="d", task_id=3, execution_date=WHEN,
                                                     _request_timeout=(1, 5)), Answer)
    api.with_http_info.get_logs("d", "t", DATE, "one")  # type: ignore[arg-type]
    api.in_background.get_task_instance("d", "t", DATE, try_index=3)  # type: ignore[call-arg]
    api.without_preload_content.get_logs("d", "t", DATE)  # type: ignore[call-arg]
    # An accessor is one variant: another result-shaping keyword is the keywords' business.
    api.with_http_info.get_task_instance("d", "t", DATE, async_req=True)  # type: ignore[arg-type]


def pagers(api: TaskInstanceApi, pools: PoolApi, runs: DAGRunApi, xcoms: XComApi) -> None:
    assert_type(api.iter_task_instances("d", state=None, page_size=50), Iterator[TaskInstance])
    for task_instance in api.iter_task_instances("d"):
        assert_type(task_instance, TaskInstance)
    for pooled in pools.iter_task_instances("~", pool=["default_pool"]):
        assert_type(pooled, TaskInstance)
    for run in runs.iter_dag_runs("d"):
        assert_type(run, DAGRun)
    for entry in xcoms.iter_x_com_values("d", "t", DATE):
        assert_type(entry, XComCollectionItem)
    api.iter_task_instances("d", limit=5)  # type: ignore[call-arg]


def legacy_keywords(api: TaskInstanceApi, flag: bool) -> None:
    # The original client's keywords type-check in every combination; the result is left open.
    assert_type(api.get_task_instance("d", "t", DATE, async_req=True), Any)
    assert_type(api.get_task_instance("d", "t", DATE, _preload_content=False), Any)
    assert_type(api.get_task_instance("d", "t", DATE, _return_http_data_only=False), Any)
    assert_type(api.get_task_instance("d", "t", DATE, async_req=True, _preload_content=False,
                                      _return_http_data_only=False, _request_timeout=5), Any)
    assert_type(api.get_task_instance("d", "t", DATE, async_req=flag), Any)
    assert_type(api.get_logs("d", "t", DATE, 1, async_req=True).get(), Any)
    # Their parameters are still checked.
    api.get_logs("d", "t", DATE, "one", async_req=True)  # type: ignore[call-overload]
    api.get_task_instance("d", "t", DATE, async_req="yes")  # type: ignore[call-overload]

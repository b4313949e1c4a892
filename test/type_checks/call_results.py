"""Type-checked, never run: what mypy (strict) infers for each combination of call options.

`make typecheck` checks this file (pyproject.toml, [tool.mypy] files): a wrong overload in the
generated API classes fails it.
"""

from __future__ import annotations

from collections.abc import Mapping

from typing_extensions import assert_type
from urllib3.response import HTTPResponse

from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.api_client import AsyncResult
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.inline_response200 import InlineResponse200
from airflow_python_sdk.model.task_instance import TaskInstance

__all__ = ["call_results"]

DATE = "2026-11-26T00:00:00+00:00"


def call_results(api: TaskInstanceApi, flag: bool) -> None:
    assert_type(api.get_task_instance("d", "t", DATE), TaskInstance)
    assert_type(api.get_task_instance("d", "t", DATE, async_req=True),
                AsyncResult[TaskInstance])
    assert_type(api.get_task_instance("d", "t", DATE, _preload_content=False), HTTPResponse)
    assert_type(api.get_task_instance("d", "t", DATE, _return_http_data_only=False),
                tuple[TaskInstance, int, Mapping[str, str]])
    assert_type(
        api.get_task_instance("d", "t", DATE, async_req=True, _return_http_data_only=False),
        AsyncResult[tuple[TaskInstance, int, Mapping[str, str]]],
    )
    assert_type(
        api.get_task_instance("d", "t", DATE, _preload_content=False,
                              _return_http_data_only=False),
        tuple[HTTPResponse, int, Mapping[str, str]],
    )
    assert_type(api.get_task_instance("d", "t", DATE, async_req=True, _preload_content=False),
                AsyncResult[HTTPResponse])
    assert_type(api.get_extra_links("d", "t", DATE), ExtraLinkCollection)
    assert_type(api.get_logs("d", "t", DATE, 1), InlineResponse200)
    assert_type(api.get_logs("d", "t", DATE, 1, async_req=True).get(),
                InlineResponse200)
    assert_type(api.delete_task_instance("d", "t", DATE), None)
    assert_type(api.update_task_instance("d", "t", DATE, TaskInstance()), TaskInstance)
    # Options only known at run time: the result is not narrowed.
    api.get_task_instance("d", "t", DATE, async_req=flag)

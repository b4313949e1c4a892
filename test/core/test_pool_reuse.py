"""One connection pool per base URL, reused across calls: found again without parsing each URL,
looked up anew once urllib3 has closed it, and never in the way of redirects."""

from __future__ import annotations

from typing import Any

import pytest

from airflow_python_sdk import ApiClient, Configuration
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.testing.server import AirflowApiServer
from airflow_python_sdk.transport.pools import ReusingPoolManager, split_url

DATE = "2026-11-26T00:00:00+00:00"


def _pools(client: ApiClient) -> list[Any]:
    manager = client.rest_client.pool_manager
    keys = manager.pools.keys()  # urllib3's pool container cannot be iterated directly
    return [manager.pools[key] for key in keys]


def test_calls_to_one_base_share_one_pool_and_one_connection() -> None:
    with AirflowApiServer() as server, ApiClient(
        Configuration(host=server.url, username="admin", password="admin")
    ) as client:
        api = TaskInstanceApi(client)
        for _ in range(5):
            api.get_task_instance("etl_daily", "extract", DATE)
        pools = _pools(client)
    assert len(pools) == 1
    assert pools[0].num_connections == 1  # the one connection, reused by every call
    assert pools[0].num_requests == 5


def test_a_pool_closed_by_clear_is_replaced_on_the_next_call() -> None:
    with AirflowApiServer() as server, ApiClient(
        Configuration(host=server.url, username="admin", password="admin")
    ) as client:
        api = TaskInstanceApi(client)
        api.get_task_instance("etl_daily", "extract", DATE)
        client.rest_client.pool_manager.clear()
        task_instance = api.get_task_instance("etl_daily", "extract", DATE)
        assert task_instance.task_id == "extract"
        assert len(_pools(client)) == 1


def test_the_pool_of_a_base_is_urllib3s_own() -> None:
    manager = ReusingPoolManager()
    pool = manager._pool_of("http://127.0.0.1:9")
    assert manager.connection_from_url("http://127.0.0.1:9/anything") is pool


@pytest.mark.parametrize(
    ("url", "split"),
    [
        ("http://127.0.0.1:8080/api/v1/dags?x=1", ("http://127.0.0.1:8080", "/api/v1/dags?x=1")),
        ("HTTPS://example.com/a%2Fb", ("HTTPS://example.com", "/a%2Fb")),
        # Left to urllib3, which parses them: no path, a fragment, dot segments, credentials.
        ("http://example.com", None),
        ("http://example.com/a#part", None),
        ("http://example.com/a/../b", None),
        ("http://user:secret@example.com/a", None),
        ("example.com/a", None),
        ("ftp://example.com/a", None),
    ],
)
def test_split_url(url: str, split: Any) -> None:
    assert split_url(url) == split

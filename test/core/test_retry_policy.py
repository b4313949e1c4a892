"""The retry policy as a value, without a socket: each decision the transport would act on.

urllib3 drives the policy with `increment()` after each failed attempt; these tests drive it the
same way with answers built in memory. The loopback tests in test/reliability prove the same
policy end to end against hostile servers.
"""

from __future__ import annotations

import pytest
import urllib3
from urllib3.exceptions import ConnectTimeoutError, MaxRetryError, ReadTimeoutError

from airflow_python_sdk import ApiValueError
from airflow_python_sdk.transport.retry import (
    RETRY_AFTER_MAX,
    RetriesExhausted,
    SdkRetry,
    default_retry,
    resolve_retry,
)

URL = "/api/v1/dags/d/taskInstances/t/2026-11-26T00%3A00%3A00%2B00%3A00"


def answer(status: int, headers: dict[str, str] | None = None) -> urllib3.HTTPResponse:
    return urllib3.HTTPResponse(body=b"", status=status, headers=headers or {},
                                preload_content=True)


def test_an_error_status_is_retried_for_a_get_until_the_policy_is_spent():
    policy = default_retry(2)
    assert policy.is_retry("GET", 503)
    policy = policy.increment("GET", URL, response=answer(503))
    policy = policy.increment("GET", URL, response=answer(503))
    with pytest.raises(RetriesExhausted) as caught:
        policy.increment("GET", URL, response=answer(503))
    assert caught.value.attempts == 3


def test_a_patch_is_not_repeated_for_an_error_status_but_is_when_connecting_failed():
    policy = default_retry()
    assert not policy.is_retry("PATCH", 503)
    assert policy.is_retry("GET", 429)
    renewed = policy.increment("PATCH", URL, error=ConnectTimeoutError("no connection"))
    assert len(renewed.history) == 1


def test_a_read_timeout_ends_the_call_at_once():
    error = ReadTimeoutError(None, URL, "read timed out")  # type: ignore[arg-type]
    with pytest.raises(ReadTimeoutError):
        default_retry().increment("GET", URL, error=error)


def test_retry_after_is_honoured_and_capped():
    policy = default_retry()
    assert policy.get_retry_after(answer(503, {"Retry-After": "2"})) == 2.0
    assert policy.get_retry_after(answer(503, {"Retry-After": "3600"})) == RETRY_AFTER_MAX
    # A garbled header falls back to the backoff instead of failing the call.
    assert policy.get_retry_after(answer(503, {"Retry-After": "soon"})) is None


def test_retrying_stops_once_the_waits_would_pass_the_total_bound():
    policy = default_retry(5, total_wait_max=1.0)
    policy = policy.increment("GET", URL, response=answer(503))
    with pytest.raises(RetriesExhausted) as caught:
        policy.increment("GET", URL, response=answer(503, {"Retry-After": "5"}))
    assert caught.value.attempts == 2
    assert isinstance(caught.value, MaxRetryError)


def test_redirects_drop_every_credential_header():
    removed = {name.lower() for name in default_retry().remove_headers_on_redirect}
    assert {"authorization", "cookie", "proxy-authorization"} <= removed


def test_settings_resolve_to_policies():
    assert isinstance(resolve_retry(None), SdkRetry)
    assert resolve_retry(False).status == 0
    assert resolve_retry(4).status == 4
    custom = urllib3.Retry(total=1)
    assert resolve_retry(custom) is custom
    with pytest.raises(ApiValueError):
        default_retry(-1)

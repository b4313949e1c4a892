"""PATCH with and without update_mask, and the bad requests it refuses."""

from __future__ import annotations

from typing import Any

import pytest
from embedded_server.http_calls import Caller, assert_problem, ti_path

TRANSFORM = ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z")


def test_the_mask_limits_the_update_to_the_named_fields(call: Caller) -> None:
    before = call("GET", TRANSFORM).json()

    reply = call(
        "PATCH",
        TRANSFORM,
        query={"update_mask": "state"},
        body={"state": "success", "hostname": "elsewhere", "pool": "other_pool"},
    )

    assert reply.status == 200
    assert reply.json() == {**before, "state": "success"}
    assert call("GET", TRANSFORM).json() == {**before, "state": "success"}


def test_a_comma_separated_mask_and_repeated_masks_both_name_several_fields(
    call: Caller,
) -> None:
    body = {"state": "success", "hostname": "elsewhere", "pool": "other_pool"}

    comma = call("PATCH", TRANSFORM, query={"update_mask": "state,hostname"}, body=body).json()
    assert (comma["state"], comma["hostname"], comma["pool"]) == (
        "success",
        "elsewhere",
        "default_pool",
    )
    body = {"state": "queued", "hostname": "again", "pool": "third_pool"}
    repeated = call("PATCH", TRANSFORM, query={"update_mask": ["state", "pool"]}, body=body).json()
    assert (repeated["state"], repeated["hostname"], repeated["pool"]) == (
        "queued",
        "elsewhere",
        "third_pool",
    )


@pytest.mark.parametrize("query", [None, {"update_mask": ""}])
def test_without_a_mask_every_modifiable_field_sent_is_updated(
    call: Caller, query: dict[str, Any] | None
) -> None:
    before = call("GET", TRANSFORM).json()
    changes = {
        "state": "up_for_retry",
        "end_date": None,
        "start_date": "2026-11-26T02:00:00+02:00",
        "max_tries": 3,
        "duration": 12.5,
    }

    reply = call("PATCH", TRANSFORM, query=query, body=changes)

    assert reply.status == 200
    expected = {**before, **changes, "start_date": "2026-11-26T00:00:00+00:00"}
    assert reply.json() == expected
    assert call("GET", TRANSFORM).json() == expected


def test_the_state_may_be_set_to_null(call: Caller) -> None:
    reply = call("PATCH", TRANSFORM, query={"update_mask": "state"}, body={"state": None})

    assert reply.status == 200
    assert reply.json()["state"] is None


def test_the_body_may_repeat_the_identity_of_the_path(call: Caller) -> None:
    body = {
        "dag_id": "etl_daily",
        "task_id": "transform",
        "execution_date": "2026-11-26T01:00:00+01:00",
        "state": "success",
    }

    assert call("PATCH", TRANSFORM, body=body).json()["state"] == "success"


@pytest.mark.parametrize(
    ("query", "body", "words"),
    [
        ({"update_mask": "state"}, {"state": "exploded"}, "'exploded' is not one of"),
        (None, {"state": "exploded"}, "'exploded' is not one of"),
        ({"update_mask": "colour"}, {"state": "success"}, "'colour' is not a TaskInstance field"),
        ({"update_mask": "task_id"}, {"task_id": "x"}, "'task_id' cannot be updated"),
        ({"update_mask": "execution_date"}, {"state": "success"}, "cannot be updated"),
        ({"update_mask": "hostname"}, {"state": "success"}, "the body does not set it"),
        (None, {"colour": "blue"}, "'colour' is not a TaskInstance field"),
        (None, {"try_number": "two"}, "try_number: must be an integer"),
        (None, {"try_number": True}, "try_number: must be an integer"),
        (None, {"hostname": None}, "hostname may not be null"),
        (None, {"start_date": "yesterday"}, "start_date"),
        (None, {"sla_miss": {"email_sent": "yes"}}, "email_sent: must be a boolean"),
        (None, {"task_id": "load"}, "does not match the path"),
        (None, {"execution_date": "2026-11-27T00:00:00Z"}, "does not match the path"),
    ],
)
def test_bad_masks_and_bad_values_are_bad_requests_that_change_nothing(
    call: Caller, query: dict[str, Any] | None, body: dict[str, Any], words: str
) -> None:
    before = call("GET", TRANSFORM).json()

    problem = assert_problem(call("PATCH", TRANSFORM, query=query, body=body), 400)

    assert words in problem["detail"]
    assert call("GET", TRANSFORM).json() == before


@pytest.mark.parametrize("raw_body", [b"", b"{not json", b"[1, 2]", b'"success"', b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_bad_request(call: Caller, raw_body: bytes) -> None:
    reply = call(
        "PATCH", TRANSFORM, raw_body=raw_body, headers={"Content-Type": "application/json"}
    )

    assert_problem(reply, 400)


def test_patching_a_missing_instance_is_not_found(call: Caller) -> None:
    reply = call(
        "PATCH", ti_path("etl_daily", "nope", "2026-11-26T00:00:00Z"), body={"state": "success"}
    )

    assert_problem(reply, 404)


def test_patching_with_a_malformed_date_is_a_bad_request(call: Caller) -> None:
    reply = call(
        "PATCH", ti_path("etl_daily", "transform", "2026-11-31"), body={"state": "success"}
    )

    assert_problem(reply, 400)

"""Basic auth as Airflow's: 401 with a challenge for bad credentials, 403 for a read-only user."""

from __future__ import annotations

import pytest
from embedded_server.http_calls import VIEWER, Caller, assert_problem, ti_path

TRANSFORM = ti_path("etl_daily", "transform", "2026-11-26T00:00:00Z")


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Basic " + "YWRtaW46d3Jvbmc=",  # admin:wrong
        "Basic " + "bm9ib2R5OmFkbWlu",  # nobody:admin
        "Basic not-base64!",
        "Basic " + "YWRtaW4=",  # "admin", no colon
        "Bearer some-token",
        "",
    ],
)
def test_missing_or_wrong_credentials_are_unauthorized(
    call: Caller, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}

    reply = call("GET", TRANSFORM, auth=None, headers=headers)

    problem = assert_problem(reply, 401)
    assert problem["title"] == "Unauthorized"
    assert reply.headers["WWW-Authenticate"].startswith("Basic realm=")


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_credentials_are_checked_before_anything_else_but_the_route(
    call: Caller, method: str
) -> None:
    reply = call(method, ti_path("etl_daily", "transform", "not-a-date"), auth=("admin", "x"))

    assert_problem(reply, 401)


def test_a_read_only_user_may_read(call: Caller) -> None:
    assert call("GET", TRANSFORM, auth=VIEWER).status == 200
    assert call("GET", TRANSFORM + "/links", auth=VIEWER).status == 200
    assert call("GET", TRANSFORM + "/logs/1", auth=VIEWER).status == 200


def test_a_read_only_user_may_not_patch_nor_delete(call: Caller) -> None:
    patched = call("PATCH", TRANSFORM, auth=VIEWER, body={"state": "success"})
    deleted = call("DELETE", TRANSFORM, auth=VIEWER)

    assert assert_problem(patched, 403)["title"] == "Forbidden"
    assert_problem(deleted, 403)
    assert call("GET", TRANSFORM).json()["state"] == "failed"


def test_a_password_with_colons_and_non_ascii_text_works(airflow_api_server: object) -> None:
    from airflow_python_sdk.testing import AirflowApiServer, User

    with AirflowApiServer(users=[User("ops", "pa:ss:wörd")]) as server:
        caller = Caller(server.url)
        try:
            assert caller("GET", TRANSFORM, auth=("ops", "pa:ss:wörd")).status == 200
            assert_problem(caller("GET", TRANSFORM, auth=("ops", "pa:ss")), 401)
            assert_problem(caller("GET", TRANSFORM, auth=("admin", "admin")), 401)
        finally:
            caller.close()

"""Each TaskInstanceApi operation: the exact request it sends and how the answer is mapped."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from core.payloads import (
    API_PREFIX,
    EXECUTION_DATE,
    EXECUTION_DATE_PLUS,
    EXTRA_LINKS_PAYLOAD,
    LOG_CHUNK_PAYLOAD,
    PASSWORD,
    TASK_INSTANCE_PAYLOAD,
    USERNAME,
    parse_rfc3339,
    real_answer,
    real_text,
    task_instance_path_values,
)
from dateutil.tz import gettz
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk._version import __version__
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.class_reference import ClassReference
from airflow_python_sdk.model.extra_link import ExtraLink
from airflow_python_sdk.model.extra_link_collection import ExtraLinkCollection
from airflow_python_sdk.model.inline_response200 import InlineResponse200
from airflow_python_sdk.model.sla_miss import SLAMiss
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState


def expected_basic_auth(username: str = USERNAME, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")


def assert_execution_date_segment(raw_segment_value: str, expected: dt.datetime) -> None:
    assert parse_rfc3339(raw_segment_value) == expected


# -- get_task_instance --------------------------------------------------------------------------


def test_get_task_instance_sends_a_bare_authenticated_json_get(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    request = server.last
    assert request.method == "GET"
    values = task_instance_path_values(request.path)
    assert values[:3] == ["feas_dag", "taskInstances", "echo_ok"]
    assert len(values) == 4
    assert_execution_date_segment(values[3], EXECUTION_DATE)
    assert request.query == ""
    assert request.body == b""
    assert request.header("Accept") == "application/json"
    assert request.header("Authorization") == expected_basic_auth()
    assert request.header("User-Agent") == f"airflow-python-sdk/{__version__}/python"


def test_get_task_instance_maps_every_spec_field(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert isinstance(ti, TaskInstance)
    assert ti.task_id == "echo_ok"
    assert ti.dag_id == "feas_dag"
    assert ti.execution_date == EXECUTION_DATE
    assert ti.execution_date.tzinfo is not None
    assert ti.start_date == dt.datetime(2026, 11, 28, 14, 29, 11, 995132, tzinfo=dt.timezone.utc)
    assert ti.end_date == dt.datetime(2026, 11, 28, 14, 29, 12, 260026, tzinfo=dt.timezone.utc)
    assert ti.queued_dttm == dt.datetime(2026, 11, 28, 14, 29, 9, 896247, tzinfo=dt.timezone.utc)
    assert isinstance(ti.duration, float) and ti.duration == pytest.approx(0.264894)
    assert isinstance(ti.state, TaskState)
    assert ti.state == TaskState.SUCCESS
    assert ti.state.value == "success"
    assert (ti.try_number, ti.max_tries, ti.job_id, ti.pool_slots) == (1, 0, 2, 1)
    assert (ti.priority_weight, ti.pid) == (1, 25565)
    assert (ti.hostname, ti.unixname, ti.pool, ti.queue) == (
        "vm",
        "root",
        "default_pool",
        "default",
    )
    assert (ti.operator, ti.executor_config) == ("BashOperator", "{}")
    assert isinstance(ti.sla_miss, SLAMiss)
    assert ti.sla_miss.task_id == "echo_ok"  # read-only, but readable when the server sends it
    assert ti.sla_miss.email_sent is False
    assert ti.sla_miss.notification_sent is True
    assert ti.sla_miss.description is None
    assert ti.sla_miss.timestamp == dt.datetime(2026, 11, 28, 15, 0, tzinfo=dt.timezone.utc)


def test_get_task_instance_reads_a_real_airflow_answer(server, api):
    server.answer(Reply.json(real_answer("v2_ti_echo_ok.json")))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert ti.task_id == "echo_ok"
    assert ti.state == "success"
    assert ti.sla_miss is None
    assert ti.execution_date == EXECUTION_DATE


def test_task_id_may_be_an_int_as_in_the_seed_examples(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    api.get_task_instance("feas_dag", 1, EXECUTION_DATE)

    assert task_instance_path_values(server.last.path)[2] == "1"


# -- path parameters ----------------------------------------------------------------------------

AWKWARD_IDS = ["a/b", "x?y", "50%", "#", ".", "..", "a b", "a+b", "%2F", "ü-ß", "a;b=c", "a&b"]


@pytest.mark.parametrize("value", AWKWARD_IDS)
def test_dag_id_is_encoded_as_one_opaque_segment(server, api, value):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    api.get_task_instance(value, "echo_ok", EXECUTION_DATE)

    values = task_instance_path_values(server.last.path)
    assert values[:3] == [value, "taskInstances", "echo_ok"]
    assert len(values) == 4
    assert server.last.query == ""


@pytest.mark.parametrize("value", AWKWARD_IDS)
def test_task_id_is_encoded_as_one_opaque_segment(server, api, value):
    server.answer(Reply.json(LOG_CHUNK_PAYLOAD))

    api.get_logs("feas_dag", value, EXECUTION_DATE, 2)

    values = task_instance_path_values(server.last.path)
    assert values[:3] == ["feas_dag", "taskInstances", value]
    assert values[4:] == ["logs", "2"]
    assert len(values) == 6
    assert server.last.query == ""


def test_a_plus_in_the_utc_offset_is_sent_as_percent_2b(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE_PLUS)

    raw_date = server.last.path.split("/")[-1]
    assert "+" not in raw_date
    assert "%2B" in raw_date.upper()
    assert_execution_date_segment(
        task_instance_path_values(server.last.path)[3], EXECUTION_DATE_PLUS
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26T05:30:15+05:30", EXECUTION_DATE_PLUS),
        ("2026-11-26T00:00:00Z", EXECUTION_DATE),
        ("1970-01-01T00:00:00.00Z", dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)),
        ("2026-11-25T19:00:00-05:00", EXECUTION_DATE),
        ("2026-11-26t00:00:00z", EXECUTION_DATE),  # RFC 3339 5.6 allows lower-case T and Z
    ],
)
def test_execution_date_may_be_an_rfc3339_string(server, api, text, expected):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    api.get_task_instance("feas_dag", "echo_ok", text)

    raw_date = server.last.path.split("/")[-1]
    assert "+" not in raw_date
    assert_execution_date_segment(task_instance_path_values(server.last.path)[3], expected)


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2026, 7, 1, 12, tzinfo=gettz("Europe/Berlin")),  # summer time, +02:00
        dt.datetime(2026, 1, 1, 12, tzinfo=gettz("America/New_York")),
        # Local mean time before 1909: +00:19:32, an offset RFC 3339 cannot write as it is.
        dt.datetime(1900, 1, 1, tzinfo=gettz("Europe/Amsterdam")),
        dt.datetime(2026, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=1, seconds=30))),
    ],
    ids=["berlin-summer", "new-york", "amsterdam-lmt", "seconds-offset"],
)
def test_any_aware_execution_date_is_sent_as_rfc3339_for_the_same_instant(server, api, when):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    api.get_task_instance("feas_dag", "echo_ok", when)

    assert_execution_date_segment(task_instance_path_values(server.last.path)[3], when)


def test_a_naive_execution_date_is_refused_before_sending(server, api):
    with pytest.raises(airflow_python_sdk.ApiValueError) as caught:
        api.get_task_instance("feas_dag", "echo_ok", dt.datetime(2026, 11, 26))

    message = str(caught.value).lower()
    assert "execution_date" in message
    # The message must say how to fix it: give the datetime a time zone.
    assert any(word in message for word in ("tzinfo", "timezone", "time zone", "aware"))
    assert server.requests == []


class _ZoneWithoutOffset(dt.tzinfo):
    """A tzinfo that knows no offset: Python counts a datetime carrying it as naive."""

    def utcoffset(self, when):
        return None

    def dst(self, when):
        return None

    def tzname(self, when):
        return None


def test_a_datetime_whose_zone_has_no_offset_is_naive_and_refused(server, api):
    # "d is aware if d.tzinfo is not None and d.tzinfo.utcoffset(d) does not return None"
    # (Python's datetime documentation); anything else names no instant.
    when = dt.datetime(2026, 11, 26, tzinfo=_ZoneWithoutOffset())

    with pytest.raises(airflow_python_sdk.ApiValueError):
        api.get_task_instance("feas_dag", "echo_ok", when)

    assert server.requests == []


@pytest.mark.parametrize(
    "naive",
    [dt.datetime(2026, 11, 26), dt.datetime(2026, 11, 26, tzinfo=_ZoneWithoutOffset())],
    ids=["no-tzinfo", "tzinfo-without-offset"],
)
def test_a_naive_datetime_in_a_body_never_reaches_the_wire(server, api, naive):
    # Refused when the model is built, or when it is sent; never sent without an offset.
    try:
        change = TaskInstance(start_date=naive)
    except airflow_python_sdk.ApiValueError:
        return
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with pytest.raises(airflow_python_sdk.ApiValueError):
        api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, change)

    assert server.requests == []


@pytest.mark.parametrize("text", ["2026-11-26T00:00:00", "yesterday", "2026-13-45T00:00:00Z"])
def test_an_execution_date_string_that_is_not_rfc3339_is_refused(server, api, text):
    with pytest.raises((airflow_python_sdk.ApiValueError, airflow_python_sdk.ApiTypeError)):
        api.get_task_instance("feas_dag", "echo_ok", text)

    assert server.requests == []


# -- get_extra_links ----------------------------------------------------------------------------


def test_get_extra_links_request_and_answer(server, api):
    server.answer(Reply.json(EXTRA_LINKS_PAYLOAD))

    links = api.get_extra_links("feas_dag", "echo_ok", EXECUTION_DATE)

    request = server.last
    assert request.method == "GET"
    values = task_instance_path_values(request.path)
    assert values[:3] == ["feas_dag", "taskInstances", "echo_ok"]
    assert values[4:] == ["links"]
    assert_execution_date_segment(values[3], EXECUTION_DATE)
    assert request.query == ""
    assert request.header("Accept") == "application/json"
    assert request.header("Authorization") == expected_basic_auth()

    assert isinstance(links, ExtraLinkCollection)
    assert len(links.extra_links) == 2
    first = links.extra_links[0]
    assert isinstance(first, ExtraLink)
    assert isinstance(first.class_ref, ClassReference)
    assert first.class_ref.module_path == "airflow.operators.bash"
    assert first.class_ref.class_name == "BashOperator"
    assert (first.name, first.href) == ("Logs", "https://airflow.example/logs/1")
    assert links.extra_links[1].name == "Console"


def test_get_extra_links_with_the_real_empty_answer(server, api):
    server.answer(Reply.json(real_answer("v2_ti_echo_ok_links.json")))

    links = api.get_extra_links("feas_dag", "echo_ok", EXECUTION_DATE)

    assert isinstance(links, ExtraLinkCollection)
    assert links.to_dict() == {}


# -- get_logs -----------------------------------------------------------------------------------


def test_get_logs_request_and_json_answer(server, api):
    server.answer(Reply.json(LOG_CHUNK_PAYLOAD))

    chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)

    request = server.last
    assert request.method == "GET"
    values = task_instance_path_values(request.path)
    assert values[:3] == ["feas_dag", "taskInstances", "echo_ok"]
    assert values[4:] == ["logs", "1"]
    assert request.query == ""
    accept = request.header("Accept")
    assert accept is not None
    assert accept.split(",")[0].strip() == "application/json"
    assert request.header("Authorization") == expected_basic_auth()

    assert isinstance(chunk, InlineResponse200)
    assert chunk.content == LOG_CHUNK_PAYLOAD["content"]
    assert chunk.continuation_token == LOG_CHUNK_PAYLOAD["continuation_token"]


@pytest.mark.parametrize(("flag", "sent"), [(True, "true"), (False, "false")])
def test_get_logs_sends_full_content_as_a_json_boolean(server, api, flag, sent):
    server.answer(Reply.json(LOG_CHUNK_PAYLOAD))

    api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1, full_content=flag)

    assert server.last.query_params == {"full_content": [sent]}


def test_get_logs_sends_the_previous_continuation_token(server, api):
    first = {"content": "part one\n", "continuation_token": LOG_CHUNK_PAYLOAD["continuation_token"]}
    server.answer(Reply.json(first), Reply.json({"content": "part two\n"}))

    chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)
    rest = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1, token=chunk.continuation_token)

    assert server.requests[1].query_params == {"token": [LOG_CHUNK_PAYLOAD["continuation_token"]]}
    assert rest.content == "part two\n"
    assert rest.get("continuation_token") is None


def test_following_continuation_tokens_reads_a_whole_log(server, api):
    pieces = ["first part\n", "second part\n", "last part\n"]

    def log_by_token(request):
        token = request.query_params.get("token", ["start"])[0]
        index = 0 if token == "start" else int(token[len("pos-") : -len("+/=")])
        more = index + 1 < len(pieces)
        next_token = f"pos-{index + 1}+/=" if more else None
        return Reply.json({"content": pieces[index], "continuation_token": next_token})

    server.handler = log_by_token
    received, token = [], None
    for _ in range(10):
        options = {} if token is None else {"token": token}
        chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1, **options)
        received.append(chunk.content)
        token = chunk.get("continuation_token")
        if token is None:
            break

    assert received == pieces
    assert [r.query_params.get("token") for r in server.requests] == [
        None,
        ["pos-1+/="],
        ["pos-2+/="],
    ]


def test_get_logs_with_both_options(server, api):
    server.answer(Reply.json(real_answer("v2_logs_echo_ok_token.json")))

    chunk = api.get_logs(
        "feas_dag", "echo_ok", EXECUTION_DATE, 1, full_content=True, token="eyJhIjoxfQ.sig"
    )

    assert server.last.query_params == {"full_content": ["true"], "token": ["eyJhIjoxfQ.sig"]}
    assert chunk.content == "[('vm', '')]"
    assert chunk.continuation_token.startswith("eyJlbmRfb2ZfbG9nIjp0cnVl")


def test_get_logs_seed_style_boolean_token_still_runs(server, api):
    server.answer(Reply.json(LOG_CHUNK_PAYLOAD))

    api.get_logs("feas_dag", 1, EXECUTION_DATE, 1, full_content=True, token=True)

    assert server.last.query_params == {"full_content": ["true"], "token": ["true"]}


def test_get_logs_turns_a_text_plain_answer_into_a_chunk_without_token(server, api):
    text = real_text("v2_logs_echo_ok_text.txt")
    server.answer(Reply.text(text))

    chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)

    assert isinstance(chunk, InlineResponse200)
    assert chunk.content == text
    assert chunk.get("continuation_token") is None


@pytest.mark.parametrize(
    "reply",
    [
        Reply.json({"content": "naïve → ✓ 完了\n"}, content_type="application/json; charset=utf-8"),
        Reply.text("naïve → ✓ 完了\n", content_type="text/plain; charset=utf-8"),
    ],
    ids=["json", "text"],
)
def test_get_logs_decodes_non_ascii_content(server, api, reply):
    server.answer(reply)

    chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)

    assert chunk.content == "naïve → ✓ 完了\n"


# -- update_task_instance -----------------------------------------------------------------------


def test_update_task_instance_sends_only_the_fields_that_were_set(server, api):
    answer = dict(TASK_INSTANCE_PAYLOAD, state="failed")
    server.answer(Reply.json(answer))
    change = TaskInstance(state=TaskState("failed"), end_date=None)

    updated = api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, change)

    request = server.last
    assert request.method == "PATCH"
    values = task_instance_path_values(request.path)
    assert values[:3] == ["feas_dag", "taskInstances", "echo_ok"]
    assert len(values) == 4
    assert_execution_date_segment(values[3], EXECUTION_DATE)
    assert request.query == ""
    assert request.header("Content-Type").split(";")[0].strip() == "application/json"
    assert request.header("Accept") == "application/json"
    assert request.header("Authorization") == expected_basic_auth()
    # Unset fields are absent; an explicit None travels as null.
    assert request.json() == {"state": "failed", "end_date": None}

    assert isinstance(updated, TaskInstance)
    assert updated.state == TaskState.FAILED


def test_update_task_instance_serialises_dates_states_and_nested_models(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
    change = TaskInstance(
        start_date=EXECUTION_DATE_PLUS,
        queued_dttm="2026-11-26T00:00:00Z",
        state=TaskState.SKIPPED,
        duration=1.5,
        sla_miss=SLAMiss(dag_id="feas_dag", email_sent=True, timestamp=EXECUTION_DATE),
    )

    api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, change)

    body = server.last.json()
    assert set(body) == {"start_date", "queued_dttm", "state", "duration", "sla_miss"}
    assert parse_rfc3339(body["start_date"]) == EXECUTION_DATE_PLUS
    assert parse_rfc3339(body["queued_dttm"]) == EXECUTION_DATE
    assert body["state"] == "skipped"
    assert body["duration"] == 1.5
    assert set(body["sla_miss"]) == {"dag_id", "email_sent", "timestamp"}
    assert parse_rfc3339(body["sla_miss"]["timestamp"]) == EXECUTION_DATE


def test_update_task_instance_never_sends_read_only_fields(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
    change = TaskInstance(sla_miss=SLAMiss(task_id="echo_ok", dag_id="feas_dag"))

    api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, change)

    assert server.last.json() == {"sla_miss": {"dag_id": "feas_dag"}}


def test_a_task_instance_read_from_the_server_is_sent_back_without_read_only_fields(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD), Reply.json(TASK_INSTANCE_PAYLOAD))

    ti = api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, ti)

    body = server.last.json()
    assert set(body["sla_miss"]) == set(TASK_INSTANCE_PAYLOAD["sla_miss"]) - {"task_id"}
    assert body["sla_miss"]["notification_sent"] is True
    assert set(body) == set(TASK_INSTANCE_PAYLOAD)
    assert body["state"] == "success"
    assert parse_rfc3339(body["execution_date"]) == EXECUTION_DATE


def test_nullable_fields_set_to_none_are_sent_as_null(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
    change = TaskInstance(sla_miss=None, state=None, queued_dttm=None, pid=None)

    api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, change)

    assert server.last.json() == {"sla_miss": None, "state": None, "queued_dttm": None, "pid": None}


def test_update_mask_is_sent_comma_separated(server, api):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    api.update_task_instance(
        "feas_dag",
        "echo_ok",
        EXECUTION_DATE,
        TaskInstance(state=TaskState.SUCCESS),
        update_mask=["state", "end_date"],
    )

    assert server.last.query_params == {"update_mask": ["state,end_date"]}


def test_update_mask_travels_as_a_literal_comma_list(server, api):
    # The requirement spells the query as `update_mask=a,b`: the comma is the list separator,
    # not data, so it is sent as a comma rather than %2C.
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    api.update_task_instance(
        "feas_dag", "echo_ok", EXECUTION_DATE, TaskInstance(pool="p"), update_mask=["pool", "queue"]
    )

    assert server.last.query == "update_mask=pool,queue"


def test_update_task_instance_reads_the_answer(server, api):
    server.answer(Reply.json(real_answer("v2_ti_fail_task_after_patch.json")))

    updated = api.update_task_instance(
        "feas_dag", "fail_task", EXECUTION_DATE, TaskInstance(state=TaskState.SUCCESS)
    )

    assert updated.task_id == "fail_task"
    assert isinstance(updated.state, TaskState)


# -- delete_task_instance -----------------------------------------------------------------------


def test_delete_task_instance_sends_delete_and_returns_none(server, api):
    server.answer(Reply.no_content())

    result = api.delete_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    request = server.last
    assert result is None
    assert request.method == "DELETE"
    values = task_instance_path_values(request.path)
    assert values[:3] == ["feas_dag", "taskInstances", "echo_ok"]
    assert len(values) == 4
    assert request.query == ""
    assert request.body == b""
    assert request.header("Authorization") == expected_basic_auth()


# -- headers common to every operation ----------------------------------------------------------


def test_no_authorization_header_without_credentials(server):
    configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with airflow_python_sdk.ApiClient(configuration) as client:
        TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert server.last.header("Authorization") is None


def test_basic_auth_encodes_a_non_ascii_password_as_utf8(server):
    # Airflow's web stack (Werkzeug) decodes basic credentials as UTF-8.
    password = "pässwörd"
    configuration = airflow_python_sdk.Configuration(
        host=server.url + API_PREFIX, username=USERNAME, password=password
    )
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with airflow_python_sdk.ApiClient(configuration) as client:
        TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert server.last.header("Authorization") == expected_basic_auth(USERNAME, password)


def test_default_headers_are_sent_with_every_call(server, api_client, api):
    api_client.set_default_header("X-Request-Source", "nightly-job")
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD), Reply.no_content())

    api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    api.delete_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert [r.header("X-Request-Source") for r in server.requests] == ["nightly-job"] * 2


def test_api_client_constructor_header_is_sent(server, configuration):
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    with airflow_python_sdk.ApiClient(configuration, "X-Tenant", "blue") as client:
        TaskInstanceApi(client).get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert server.last.header("X-Tenant") == "blue"


def test_the_api_class_builds_its_own_client_from_the_default_configuration(
    server, restore_default_configuration
):
    airflow_python_sdk.Configuration.set_default(
        airflow_python_sdk.Configuration(host=server.url + API_PREFIX, username="u", password="p")
    )
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    ti = TaskInstanceApi().get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert ti.task_id == "echo_ok"
    assert server.last.header("Authorization") == expected_basic_auth("u", "p")


def test_the_recording_server_is_the_one_answering(server: RecordingServer, api):
    # Guards the suite itself: an unscripted call gets the recording server's own 500 problem.
    # (A PATCH, which no retry policy repeats, so the answer comes at once.)
    with pytest.raises(airflow_python_sdk.ApiException) as caught:
        api.update_task_instance("feas_dag", "echo_ok", EXECUTION_DATE, TaskInstance(pool="p"))

    assert caught.value.status == 500
    assert "no answer scripted" in str(caught.value)

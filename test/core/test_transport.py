"""The transport under the API: TLS, client certificates, proxies, retries, connection reuse."""

from __future__ import annotations

import gzip
import json
import ssl
import time
import warnings

import pytest
import urllib3
from core.payloads import API_PREFIX, EXECUTION_DATE, TASK_INSTANCE_PAYLOAD, problem
from core.tls_certificates import make_certificates
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
from airflow_python_sdk.model.task_instance import TaskInstance
from airflow_python_sdk.model.task_state import TaskState

CALL_BOUND_S = 30  # the SDK may retry a failed handshake with backoff; this bounds it all


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    return make_certificates(tmp_path_factory.mktemp("tls"))


def server_context(cert, key, client_ca=None) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert), str(key))
    if client_ca is not None:
        context.verify_mode = ssl.CERT_REQUIRED
        context.load_verify_locations(str(client_ca))
    return context


def get_task_instance(configuration):
    with airflow_python_sdk.ApiClient(configuration) as client:
        return TaskInstanceApi(client).get_task_instance(
            "feas_dag", "echo_ok", EXECUTION_DATE, _request_timeout=5
        )


# -- TLS ----------------------------------------------------------------------------------------


def test_tls_verification_is_on_by_default(certificates):
    context = server_context(certificates.server_cert, certificates.server_key)
    with RecordingServer(ssl_context=context) as server:
        server.handler = lambda request: Reply.json(TASK_INSTANCE_PAYLOAD)
        configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)

        outcome = call_bounded(lambda: get_task_instance(configuration), CALL_BOUND_S)

        assert outcome.error is not None, "a certificate from an unknown CA must be refused"
        assert not isinstance(outcome.error, (TypeError, ValueError)), repr(outcome.error)
        assert server.requests == []


def test_the_default_trust_is_certifis_bundle_not_the_environments(certificates, monkeypatch):
    # OpenSSL's own defaults follow SSL_CERT_FILE; the SDK trusts certifi's bundle instead, so
    # a CA that only the environment trusts must still be refused.
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates.ca))
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    context = server_context(certificates.server_cert, certificates.server_key)
    with RecordingServer(ssl_context=context) as server:
        server.handler = lambda request: Reply.json(TASK_INSTANCE_PAYLOAD)
        configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)

        outcome = call_bounded(lambda: get_task_instance(configuration), CALL_BOUND_S)

        assert outcome.error is not None
        assert server.requests == []


def test_ssl_ca_cert_trusts_a_private_ca(certificates):
    context = server_context(certificates.server_cert, certificates.server_key)
    with RecordingServer(ssl_context=context) as server:
        server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
        configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
        configuration.ssl_ca_cert = str(certificates.ca)

        ti = get_task_instance(configuration)

        assert ti.task_id == "echo_ok"
        assert server.last.method == "GET"


def test_verify_ssl_false_accepts_any_certificate(certificates):
    context = server_context(certificates.server_cert, certificates.server_key)
    with RecordingServer(ssl_context=context) as server:
        server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
        configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
        configuration.verify_ssl = False

        with warnings.catch_warnings():
            # urllib3 rightly warns about unverified HTTPS; that warning is not under test.
            warnings.simplefilter("ignore", urllib3.exceptions.InsecureRequestWarning)
            ti = get_task_instance(configuration)

        assert ti.task_id == "echo_ok"


def test_a_client_certificate_is_presented(certificates):
    context = server_context(
        certificates.server_cert, certificates.server_key, client_ca=certificates.ca
    )
    with RecordingServer(ssl_context=context) as server:
        server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))
        configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
        configuration.ssl_ca_cert = str(certificates.ca)
        configuration.cert_file = str(certificates.client_cert)
        configuration.key_file = str(certificates.client_key)

        get_task_instance(configuration)

        subject = dict(pair[0] for pair in server.last.client_certificate["subject"])
        assert subject["commonName"] == "sdk-client"


def test_assert_hostname_checks_the_certificate_against_another_name(certificates):
    context = server_context(certificates.named_server_cert, certificates.named_server_key)
    with RecordingServer(ssl_context=context) as server:
        server.handler = lambda request: Reply.json(TASK_INSTANCE_PAYLOAD)
        configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
        configuration.ssl_ca_cert = str(certificates.ca)

        # The certificate names airflow.example, not 127.0.0.1: refused as it is ...
        refused = call_bounded(lambda: get_task_instance(configuration), CALL_BOUND_S)
        assert refused.error is not None
        assert server.requests == []

        # ... and accepted when told which name to expect.
        configuration.assert_hostname = "airflow.example"
        accepted = call_bounded(lambda: get_task_instance(configuration), CALL_BOUND_S)
        assert accepted.error is None, repr(accepted.error)
        assert accepted.result.task_id == "echo_ok"


# -- proxy --------------------------------------------------------------------------------------


def test_a_proxy_receives_the_absolute_url_and_the_proxy_headers(server):
    configuration = airflow_python_sdk.Configuration(host="http://airflow.invalid/api/v1")
    configuration.proxy = server.url
    configuration.proxy_headers = {"Proxy-Authorization": "Basic cHJveHk6c2VjcmV0"}
    server.answer(Reply.json(TASK_INSTANCE_PAYLOAD))

    ti = get_task_instance(configuration)

    request = server.last
    assert ti.task_id == "echo_ok"
    assert request.target.startswith("http://airflow.invalid/api/v1/dags/feas_dag/")
    assert request.path.startswith("/api/v1/dags/feas_dag/taskInstances/echo_ok/")
    assert request.header("Proxy-Authorization") == "Basic cHJveHk6c2VjcmV0"


def test_a_redirect_to_another_origin_does_not_carry_the_credentials(server):
    with RecordingServer(handler=lambda request: Reply.json(TASK_INSTANCE_PAYLOAD)) as elsewhere:
        configuration = airflow_python_sdk.Configuration(
            host=server.url + API_PREFIX, username="admin", password="pw"
        )
        server.handler = lambda request: Reply(
            302, b"", [("Location", elsewhere.url + request.target)]
        )

        outcome = call_bounded(lambda: get_task_instance(configuration), CALL_BOUND_S)

        # The redirect was followed: the other origin answered the task instance.
        assert outcome.error is None, repr(outcome.error)
        assert outcome.result.task_id == "echo_ok"
        assert len(elsewhere.requests) == 1
        assert server.last.header("Authorization") is not None
        assert elsewhere.requests[0].header("Authorization") is None


# -- retries ------------------------------------------------------------------------------------


def test_retries_zero_sends_one_request_only(server):
    configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
    configuration.retries = 0
    server.handler = lambda request: Reply.json(problem(503, "Unavailable"), status=503)

    with pytest.raises(airflow_python_sdk.ServiceException):
        get_task_instance(configuration)

    assert len(server.requests) == 1


def test_a_configured_retry_policy_is_used(server):
    configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
    configuration.retries = urllib3.Retry(
        total=2, status_forcelist=[503], allowed_methods=None, backoff_factor=0
    )
    server.answer(
        Reply.json(problem(503, "Unavailable"), status=503), Reply.json(TASK_INSTANCE_PAYLOAD)
    )

    with airflow_python_sdk.ApiClient(configuration) as client:
        ti = TaskInstanceApi(client).update_task_instance(
            "feas_dag", "echo_ok", EXECUTION_DATE, TaskInstance(state=TaskState.SUCCESS)
        )

    assert ti.task_id == "echo_ok"
    assert [r.method for r in server.requests] == ["PATCH", "PATCH"]
    assert server.requests[0].body == server.requests[1].body


def test_a_status_that_stays_bad_ends_as_its_exception_with_the_problem(server):
    # Whatever the default retry policy does with a 503, the caller ends up with the 503.
    configuration = airflow_python_sdk.Configuration(host=server.url + API_PREFIX)
    server.handler = lambda request: Reply.json(
        problem(503, "Unavailable", "scheduler restarting"), status=503
    )

    outcome = call_bounded(lambda: get_task_instance(configuration), CALL_BOUND_S)

    assert isinstance(outcome.error, airflow_python_sdk.ServiceException), repr(outcome.error)
    assert outcome.error.status == 503
    assert outcome.error.error.detail == "scheduler restarting"


# -- connections --------------------------------------------------------------------------------


def test_consecutive_calls_reuse_one_connection(server, api):
    server.handler = lambda request: Reply.json(TASK_INSTANCE_PAYLOAD)

    for _ in range(5):
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert len({r.client_port for r in server.requests}) == 1
    assert {r.http_version for r in server.requests} == {"HTTP/1.1"}


def test_a_chunked_log_answer_is_read_whole(server, api):
    # Airflow streams logs with chunked transfer encoding.
    content = "".join(f"[2026-11-28T14:29:12+0000] line {n}\n" for n in range(3000))
    body = json.dumps({"content": content, "continuation_token": "t-2"}).encode()
    server.answer(Reply(200, body, [("Content-Type", "application/json")], chunk_size=1000))

    chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)

    assert chunk.content == content
    assert chunk.continuation_token == "t-2"


def test_a_chunked_text_log_answer_is_read_whole(server, api):
    content = "".join(f"line {n} ✓\n" for n in range(3000))
    text_plain = [("Content-Type", "text/plain; charset=utf-8")]
    server.answer(Reply(200, content.encode(), text_plain, chunk_size=777))

    chunk = api.get_logs("feas_dag", "echo_ok", EXECUTION_DATE, 1)

    assert chunk.content == content


def test_a_gzip_encoded_answer_the_sdk_never_asked_for_is_refused(server, api):
    body = gzip.compress(json.dumps(TASK_INSTANCE_PAYLOAD).encode())
    server.answer(
        Reply(200, body, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
    )

    with pytest.raises(airflow_python_sdk.ResponseValueError) as caught:
        api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)

    assert "Content-Encoding 'gzip' was not asked for" in str(caught.value)
    assert server.last.header("Accept-Encoding") == "identity"


@pytest.mark.parametrize("first_answer_closes", ["announced", "unannounced"])
def test_a_patch_after_the_server_closed_the_connection_goes_out_once(
    server, api, first_answer_closes
):
    # Servers close idle keep-alive connections; the next call must open a new one, and a PATCH
    # must still reach the server exactly once.
    first = Reply.json(TASK_INSTANCE_PAYLOAD)
    if first_answer_closes == "announced":
        first.close = True
    else:
        first.hang_up = True
    server.answer(first, Reply.json(TASK_INSTANCE_PAYLOAD))

    api.get_task_instance("feas_dag", "echo_ok", EXECUTION_DATE)
    time.sleep(0.2)  # let the close reach the client's pooled socket
    ti = api.update_task_instance(
        "feas_dag", "echo_ok", EXECUTION_DATE, TaskInstance(state=TaskState.FAILED)
    )

    assert ti.task_id == "echo_ok"
    assert [r.method for r in server.requests] == ["GET", "PATCH"]
    assert server.requests[0].client_port != server.requests[1].client_port


def test_a_patch_whose_connection_drops_unanswered_is_not_sent_again(server, api):
    # The server may have applied the change before the connection broke; repeating the PATCH
    # could overwrite a change made in between, so the caller gets the error instead.
    server.answer(Reply(drop=True), Reply.json(TASK_INSTANCE_PAYLOAD))

    outcome = call_bounded(
        lambda: api.update_task_instance(
            "feas_dag", "echo_ok", EXECUTION_DATE, TaskInstance(state=TaskState.FAILED)
        ),
        CALL_BOUND_S,
    )

    assert isinstance(outcome.error, airflow_python_sdk.ApiException), repr(outcome.error)
    assert [r.method for r in server.requests] == ["PATCH"]

"""TLS over real sockets: an untrusted certificate is refused with a clear error, a CA bundle that
trusts it works, and turning verification off warns.

The certificate is self-signed for 127.0.0.1 and made here, with the openssl command or, where
that is missing, the `cryptography` package.
"""

from __future__ import annotations

import datetime as dt
import pathlib
import shutil
import ssl
import subprocess
import warnings

import pytest
import urllib3
from reliability.fast_clients import EXECUTION_DATE, TASK_INSTANCE
from support.bounded_call import call_bounded
from support.recording_server import RecordingServer, Reply

import airflow_python_sdk
from airflow_python_sdk.transport.security import InsecureTransportWarning

BOUND_S = 10.0


def _self_signed_with_openssl(folder: pathlib.Path) -> None:
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", "key.pem", "-out", "cert.pem", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        cwd=folder, check=True, capture_output=True, timeout=60,
    )  # fmt: skip


def _self_signed_with_cryptography(folder: pathlib.Path) -> None:
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )  # fmt: skip
    (folder / "cert.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ))  # fmt: skip


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory) -> pathlib.Path:
    folder = tmp_path_factory.mktemp("self-signed")
    if shutil.which("openssl"):
        _self_signed_with_openssl(folder)
    else:
        pytest.importorskip("cryptography", reason="needs the openssl command or cryptography")
        _self_signed_with_cryptography(folder)
    return folder


@pytest.fixture
def tls_server(self_signed):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(self_signed / "cert.pem"), str(self_signed / "key.pem"))
    with RecordingServer(ssl_context=context) as server:
        server.handler = lambda request: Reply.json(TASK_INSTANCE)
        yield server


def get_with(configuration):
    configuration.timeout = (2.0, 2.0)
    with airflow_python_sdk.ApiClient(configuration) as client:
        api = airflow_python_sdk.api.task_instance_api.TaskInstanceApi(client)
        return api.get_task_instance("etl_daily", "extract", EXECUTION_DATE)


def test_an_untrusted_certificate_is_refused_with_a_clear_error_and_no_retry(tls_server):
    configuration = airflow_python_sdk.Configuration(host=tls_server.url + "/api/v1")

    outcome = call_bounded(lambda: get_with(configuration), BOUND_S)

    error = outcome.error
    assert isinstance(error, airflow_python_sdk.ApiConnectionError), repr(error)
    assert isinstance(error.__cause__, urllib3.exceptions.HTTPError)
    message = str(error)
    assert message.startswith(f"GET {tls_server.url}/api/v1/dags/etl_daily/")
    assert "TLS failed" in message and "certificate verify failed" in message
    assert "ssl_ca_cert" in message  # says what to configure
    assert error.attempts in (None, 1)  # a certificate does not get better by asking again
    assert tls_server.requests == []


def test_a_ca_bundle_that_trusts_the_certificate_makes_it_work(tls_server, self_signed):
    configuration = airflow_python_sdk.Configuration(
        host=tls_server.url + "/api/v1", ssl_ca_cert=str(self_signed / "cert.pem")
    )

    ti = get_with(configuration)

    assert ti.task_id == "extract"
    assert len(tls_server.requests) == 1


def test_a_ca_bundle_path_that_does_not_exist_is_refused_when_the_client_is_made(tmp_path):
    configuration = airflow_python_sdk.Configuration(
        host="https://127.0.0.1:1/api/v1", ssl_ca_cert=str(tmp_path / "missing.pem")
    )

    with pytest.raises(airflow_python_sdk.ApiValueError, match="ssl_ca_cert is not a file"):
        airflow_python_sdk.ApiClient(configuration)


def test_verify_ssl_false_warns_and_then_connects(tls_server):
    configuration = airflow_python_sdk.Configuration(host=tls_server.url + "/api/v1")
    configuration.verify_ssl = False

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ti = get_with(configuration)

    assert ti.task_id == "extract"
    ours = [w for w in caught if w.category is InsecureTransportWarning]
    assert len(ours) == 1
    assert "verify_ssl is False" in str(ours[0].message)
    # Silencing urllib3's own warning about unverified HTTPS silences ours as well.
    assert issubclass(InsecureTransportWarning, urllib3.exceptions.InsecureRequestWarning)


def test_verify_ssl_false_does_not_warn_for_a_plain_http_host():
    configuration = airflow_python_sdk.Configuration(host="http://127.0.0.1:8080/api/v1")
    configuration.verify_ssl = False

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        airflow_python_sdk.ApiClient(configuration).close()

    assert [w for w in caught if w.category is InsecureTransportWarning] == []

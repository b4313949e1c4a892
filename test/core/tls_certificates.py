"""Throw-away certificates for TLS tests, made with the openssl command line.

A private CA signs a server certificate (for 127.0.0.1, or for a DNS name only) and a client
certificate. Nothing is fetched: everything is generated into a temporary folder.
"""

from __future__ import annotations

import pathlib
import shutil
import subprocess
from dataclasses import dataclass

import pytest

OPENSSL_TIMEOUT_S = 60
# P-256 keys: generated in milliseconds, where RSA keys take a second each.
NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]


@dataclass(frozen=True)
class Certificates:
    ca: pathlib.Path
    server_cert: pathlib.Path  # valid for IP 127.0.0.1
    server_key: pathlib.Path
    named_server_cert: pathlib.Path  # valid for DNS airflow.example only
    named_server_key: pathlib.Path
    client_cert: pathlib.Path
    client_key: pathlib.Path


def _openssl(*args: str, cwd: pathlib.Path) -> None:
    subprocess.run(
        ["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=OPENSSL_TIMEOUT_S
    )


def _leaf(folder: pathlib.Path, name: str, subject: str, extensions: str) -> None:
    (folder / f"{name}.ext").write_text(extensions, encoding="ascii")
    new_key = [*NEW_KEY, "-keyout", f"{name}.key"]
    _openssl("req", "-new", *new_key, "-out", f"{name}.csr", "-subj", subject, cwd=folder)
    signing = ["-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-sha256"]
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", *signing, "-out", f"{name}.pem",
        "-extfile", f"{name}.ext", cwd=folder,
    )  # fmt: skip


def make_certificates(folder: pathlib.Path) -> Certificates:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make test certificates")
    (folder / "ca.cnf").write_text(
        "[req]\ndistinguished_name = dn\nx509_extensions = v3_ca\nprompt = no\n"
        "[dn]\nCN = SDK test CA\n"
        "[v3_ca]\nbasicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign\n"
        "subjectKeyIdentifier = hash\n",
        encoding="ascii",
    )
    new_key = [*NEW_KEY, "-keyout", "ca.key"]
    ca_options = ["-out", "ca.pem", "-days", "2", "-config", "ca.cnf"]
    _openssl("req", "-x509", *new_key, *ca_options, cwd=folder)
    common = (
        "basicConstraints = CA:FALSE\nkeyUsage = critical, digitalSignature, keyEncipherment\n"
        "authorityKeyIdentifier = keyid\nsubjectKeyIdentifier = hash\n"
    )
    server = common + "extendedKeyUsage = serverAuth\n"
    _leaf(folder, "server", "/CN=127.0.0.1", server + "subjectAltName = IP:127.0.0.1\n")
    _leaf(folder, "named", "/CN=airflow.example", server + "subjectAltName = DNS:airflow.example\n")
    _leaf(folder, "client", "/CN=sdk-client", common + "extendedKeyUsage = clientAuth\n")
    return Certificates(
        ca=folder / "ca.pem",
        server_cert=folder / "server.pem",
        server_key=folder / "server.key",
        named_server_cert=folder / "named.pem",
        named_server_key=folder / "named.key",
        client_cert=folder / "client.pem",
        client_key=folder / "client.key",
    )

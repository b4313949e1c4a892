"""The "auto" dialect: ask the server which Airflow it is, once, and speak its dialect.

Both Airflow 2 and 3 answer `GET <api root>/version` without credentials
(`{"version": "2.10.5", ...}`); Airflow 2's API root is /api/v1, Airflow 3's /api/v2. The host's
own root is asked first; when it does not answer there (a host given as the server's root URL, or
with the other version's prefix), /api/v2 and /api/v1 of the server's root are asked in turn.
The SDK's embedded server answers `/api/v1/version` with `"dialect": "draft"`: the spec, sent to
the root where it answered (so its root URL works too). A server that has no `/version` at any of
them (404, a web page, or JSON without a version) is taken to speak the spec itself ("draft"), at
the host as given: a guess, which `finding.confirmed` says, so that a 404 can say where the API was
looked for.

The answer is remembered for the client's lifetime, not shared between clients: a URL can come to
serve another release (an upgrade behind a proxy, a test server on a reused port), and a stale
answer would send every call to the wrong API. A failed attempt (no connection, say) is not
remembered, so the next call asks again. What was found is logged (INFO) once.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from airflow_python_sdk._errors import (
    ApiValueError,
    NotFoundException,
    ResponseValueError,
)
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk._operation import CallOptions, Endpoint, build_request
from airflow_python_sdk.dialects.airflow2 import Airflow2Dialect
from airflow_python_sdk.dialects.airflow3 import Airflow3Dialect
from airflow_python_sdk.dialects.channel import Channel
from airflow_python_sdk.dialects.outcome import Dialect, Outcome
from airflow_python_sdk.dialects.spec import SpecDialect
from airflow_python_sdk.dialects.wire import exchange, server_root

__all__ = ["AutoDialect", "Finding", "dialect_for_version"]

_LOG = logging.getLogger(__name__)

_API_SUFFIX = re.compile(r"/api/v\d+$")
# The major version: ASCII digits only (str.isdigit also accepts "²"), and few of them.
_MAJOR = re.compile(r"\s*([0-9]{1,4})(?:\.|\s*$)")


def dialect_for_version(version: str) -> Dialect:
    """The dialect of an Airflow release such as "2.10.5" or "3.3.2"."""
    found = _MAJOR.match(version)
    if found is None:
        shown = version if len(version) <= 40 else version[:40] + "..."
        raise ApiValueError(f"The server reports version {shown!r}, which is not Airflow's")
    major = int(found.group(1))
    if major == 2:
        return Airflow2Dialect()
    if major >= 3:
        return Airflow3Dialect()
    raise ApiValueError(
        f"The server runs Airflow {version}; this SDK speaks to Airflow 2 and 3 (and the draft "
        "spec's server)"
    )


def _serves_there(chosen: Dialect, base: str) -> None:
    """`ApiValueError` when `base`, where the server answered, is not where the release it
    reports serves its API (Airflow 3 claimed at /api/v1/version, say)."""
    prefix = getattr(chosen, "api_prefix", None)
    if prefix and _API_SUFFIX.search(base) and not base.endswith(prefix):
        raise ApiValueError(
            f"The server reports {getattr(chosen, 'server', 'a release')} at {base}, which serves "
            f"its API under {prefix}"
        )


@dataclass(frozen=True)
class Finding:
    """What the question found: the dialect's name, the API root it answered at (for a guess,
    the host as given), Airflow's release (None for the draft), whether a `/version` answer
    said so (False: nothing answered, the draft is a guess), and the URLs asked, in order."""

    dialect: str
    api_root: str
    version: Optional[str]
    confirmed: bool
    asked: tuple[str, ...]

    def describe(self) -> str:
        """One line for a log or a person: what answered where, and what is spoken to where."""
        if not self.confirmed:
            return (f"no /version answered (asked {', '.join(self.asked)}): speaking the draft "
                    f"spec to {self.api_root}, as given")
        server = "a server of the draft spec" if self.version is None else (
            f"Airflow {self.version}")
        return (f"{server} answered at {self.api_root}/version: dialect {self.dialect}, "
                f"API root {self.api_root}")


def _host_fits(host: str, root: str, chosen: Dialect, version: str) -> None:
    """`ApiValueError` when the host names the other release's API path (/api/v1 of an
    Airflow 3): said with the release found and the host to give instead."""
    prefix = str(getattr(chosen, "api_prefix", ""))
    other = _API_SUFFIX.search(host)
    if not prefix or other is None or other.group(0) == prefix:
        return
    shown = redact_url(root)
    raise ApiValueError(
        f"The server at {shown} runs Airflow {version}, which serves its REST API under "
        f"{prefix}, but the host ends with {other.group(0)}: set Configuration.host to "
        f"{shown}{prefix} or to the server's root URL {shown}"
    )


class AutoDialect:
    """Chooses Airflow 2, Airflow 3 or the draft on the first call; safe to share between
    threads (concurrent first calls ask once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chosen: Optional[Dialect] = None
        self.server_version: Optional[str] = None
        # Set with the choice; None until the server has been asked.
        self.finding: Optional[Finding] = None

    def __repr__(self) -> str:
        return f"AutoDialect(server_version={self.server_version!r})"

    def call(self, channel: Channel, endpoint: Endpoint, arguments: Mapping[str, Any],
             options: CallOptions) -> Outcome:
        # Bad arguments are refused before anything is sent, the question included.
        build_request(endpoint, arguments, options._check_input_type)
        return self.chosen(channel, options).call(channel, endpoint, arguments, options)

    def chosen(self, channel: Channel, options: CallOptions) -> Dialect:
        with self._lock:
            if self._chosen is None:
                self._chosen = self._ask(channel, options)
                if self.finding is not None:
                    _LOG.info("%s", self.finding.describe())
            return self._chosen

    def _ask(self, channel: Channel, options: CallOptions) -> Dialect:
        host = channel.host_for(options._host_index).rstrip("/")
        root = server_root(host)
        bases = [host]
        bases += [base for base in (root + "/api/v2", root + "/api/v1") if base != host]
        asked: list[str] = []
        for base in bases:
            asked.append(base + "/version")
            try:
                answer = exchange(channel, "GET", base, "/version", options)
            except (NotFoundException, ResponseValueError):
                # Not an API root: a 404, or a web page (both servers serve their UI at the
                # root, and Airflow 2 redirects unknown paths to its login page).
                continue
            document = answer.document
            if not isinstance(document, dict):
                continue
            if document.get("dialect") == "draft":  # the SDK's embedded server
                self.finding = Finding("draft", base, None, True, tuple(asked))
                return SpecDialect(api_root=(host, base))
            version = document.get("version")
            if isinstance(version, str):
                try:
                    chosen = dialect_for_version(version)
                    _serves_there(chosen, base)
                except ApiValueError as exc:
                    # The server's answer, not the caller's input: an API error.
                    raise ResponseValueError(str(exc), status=answer.status, body=None,
                                             method="GET", url=answer.url) from None
                _host_fits(host, root, chosen, version)
                self.server_version = version
                name = "airflow2" if isinstance(chosen, Airflow2Dialect) else "airflow3"
                self.finding = Finding(name, base, version, True, tuple(asked))
                return chosen
        self.finding = Finding("draft", host, None, False, tuple(asked))
        return SpecDialect()

"""What probably went wrong, when a server's answer says little: a hint line after the error.

A 404 that is not about a DAG or a task instance (the web framework's own "Not Found", or a web
page) or a web page where JSON should be means the requests do not reach the REST API: the host's
API path, its port or the dialect is wrong. That is said only when the command could not confirm
where the API is: when the server's /version said so, a 404 is about what was asked for.
"""

from __future__ import annotations

import json
from typing import Any, Optional

from airflow_python_sdk._errors import (
    ApiException,
    NotFoundException,
    ResponseValueError,
    RunNotFoundException,
    UnauthorizedException,
)
from airflow_python_sdk._internal.redaction import redact_url
from airflow_python_sdk._settings.configuration import Configuration
from airflow_python_sdk.cli.safe_text import quoted

__all__ = ["hint_for", "is_no_api_here"]

# The "no such path" details of the web frameworks in front of Airflow's API: Flask and Connexion
# (Airflow 2, and the embedded server), Starlette (Airflow 3), Airflow 3's own API router.
_NO_ROUTE_DETAILS = ("Not Found", "API route not found")
_NO_ROUTE_PREFIX = "The requested URL was not found on the server"
_WHERE_APIS_ARE = ("the server's root URL (e.g. http://localhost:8080) or its API path "
                   "(.../api/v1 for Airflow 2, .../api/v2 for Airflow 3)")


def is_no_api_here(error: ApiException) -> bool:
    """Whether the answer came from something other than the API's operation: a path the web
    framework does not know, or a web page instead of JSON."""
    if isinstance(error, ResponseValueError):
        return 200 <= error.status < 300 and not _is_json(error.body)
    if not isinstance(error, NotFoundException) or isinstance(error, RunNotFoundException):
        return False
    document = _json(error.body)
    if not isinstance(document, dict):
        return True  # a page or a proxy's text: an API answers JSON
    said = document.get("detail") or document.get("error") or ""
    return isinstance(said, str) and (said in _NO_ROUTE_DETAILS
                                      or said.startswith(_NO_ROUTE_PREFIX))


def hint_for(error: ApiException, configuration: Configuration, dialect: Any) -> Optional[str]:
    """A line saying what to change, or None when the error says enough."""
    if isinstance(error, UnauthorizedException):
        if configuration.username is None and configuration.password is None:
            return ("no credentials were given: pass --user NAME (or set AIRFLOW_API_USERNAME) "
                    "and set AIRFLOW_API_PASSWORD")
        if _says_why(error):
            return None  # "The user name or password is wrong." says it already
        return (f"the server refused user {quoted(str(configuration.username))}: check --user "
                "(AIRFLOW_API_USERNAME) and AIRFLOW_API_PASSWORD")
    if not is_no_api_here(error):
        return None
    host = redact_url(configuration.host)
    finding = getattr(dialect, "finding", None)
    if finding is not None:
        if finding.confirmed:
            return None  # the API's root is known: the 404 is about what was asked for
        return (f"no Airflow REST API was found at {host}: nothing answered "
                f"{', '.join(redact_url(url) for url in finding.asked)}. Check --host "
                f"(AIRFLOW_API_HOST): {_WHERE_APIS_ARE}, and its port (Airflow's API server, "
                "8080 by default)")
    name = configuration.dialect
    if name == "auto":
        return None  # it never asked: the error is about the question itself
    if name == "draft":
        return (f"the draft dialect (--dialect draft or AIRFLOW_API_DIALECT=draft) sends the "
                f"draft spec's paths, which {host} does not serve: for Apache Airflow, leave the "
                "dialect out (auto asks the server which it is); else check the API path and the "
                "port in --host")
    server = getattr(dialect, "server", name)
    return (f"no {server} REST API answered at {host}: check --host (AIRFLOW_API_HOST), "
            f"{_WHERE_APIS_ARE}, and its port, or leave out --dialect (auto asks the server "
            "which it is)")


_NOT_JSON = object()


def _says_why(error: ApiException) -> bool:
    """Whether an error's problem has a detail of its own (Airflow 2's 401 has none)."""
    problem = error.error
    detail = problem.get("detail") if problem is not None else None
    return isinstance(detail, str) and detail.strip() != ""


def _json(body: Optional[str]) -> Any:
    try:
        return json.loads(body or "")
    except (ValueError, RecursionError):
        return _NOT_JSON


def _is_json(body: Optional[str]) -> bool:
    return _json(body) is not _NOT_JSON

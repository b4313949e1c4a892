"""HTTP reason phrases, the same on every Python version.

Python 3.13 renamed four of `http.HTTPStatus`'s phrases after RFC 9110 (422 "Unprocessable
Entity" became "Unprocessable Content", ...). Titles of errors and the embedded server's
answers must read alike whatever the version, so those four keep the names the exception
classes and Airflow's answers use.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Optional

__all__ = ["reason_phrase"]

_KEPT = {
    413: "Request Entity Too Large",
    414: "Request-URI Too Long",
    416: "Requested Range Not Satisfiable",
    422: "Unprocessable Entity",
}


def reason_phrase(status: int, unknown: Optional[str] = None) -> Optional[str]:
    """The status's phrase, or `unknown` for a status HTTP does not name."""
    if status in _KEPT:
        return _KEPT[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return unknown

"""RFC 7807 problem documents, the body of every error the server sends."""

from __future__ import annotations

import json
from typing import Optional

from airflow_python_sdk._internal.reason_phrases import reason_phrase

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Airflow points its problem types at the error section of its API reference; clients may show it.
_AIRFLOW_ERRORS = "https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html"
_TYPE_BY_STATUS = {
    400: f"{_AIRFLOW_ERRORS}#section/Errors/BadRequest",
    401: f"{_AIRFLOW_ERRORS}#section/Errors/Unauthenticated",
    403: f"{_AIRFLOW_ERRORS}#section/Errors/PermissionDenied",
    404: f"{_AIRFLOW_ERRORS}#section/Errors/NotFound",
}


class ApiProblem(Exception):
    """Raised anywhere while handling a request; the handler turns it into the error response."""

    def __init__(
        self,
        status: int,
        detail: Optional[str],
        *,
        title: Optional[str] = None,
        headers: Optional[dict[str, str]] = None,
        problem_type: Optional[str] = None,
    ) -> None:
        super().__init__(detail or title or str(status))
        self.status = status
        self.detail = detail
        self.title = title or reason_phrase(status, str(status)) or str(status)
        self.headers = dict(headers or {})
        self.problem_type = problem_type or _TYPE_BY_STATUS.get(status, "about:blank")

    def body(self) -> bytes:
        document = {
            "type": self.problem_type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        return json.dumps(document).encode("utf-8")


def bad_request(detail: str) -> ApiProblem:
    return ApiProblem(400, detail)


def not_found(title: str, detail: str) -> ApiProblem:
    return ApiProblem(404, detail, title=title)

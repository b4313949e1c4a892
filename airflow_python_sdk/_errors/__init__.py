"""The errors the SDK raises (public as `airflow_python_sdk.exceptions`).

    OpenApiException
    ├── ApiTypeError (TypeError)          a value of the wrong type, named by its field path
    ├── ApiValueError (ValueError)        a value of the right type that cannot be used
    ├── ApiAttributeError (AttributeError)
    ├── ApiKeyError (KeyError)
    └── ApiException                      anything a call to the server can end with
        ├── ApiStatusError                the server answered with an error status
        │   ├── BadRequestException       400
        │   ├── UnauthorizedException     401
        │   ├── ForbiddenException        403
        │   ├── NotFoundException         404
        │   │   └── RunNotFoundException  no DAG run has the execution date (real Airflow servers)
        │   ├── ConflictException         409
        │   │   └── AmbiguousRunException several DAG runs have the execution date (also an
        │   │                             ApiValueError, as before)
        │   ├── UnprocessableEntityException  422
        │   ├── TooManyRequestsException  429
        │   └── ServiceException          5xx
        ├── PagesChangedException         409: a list changed while its pages were walked
        ├── BulkChangeException           a bulk change did not change everything it named: its
        │                                 `result` says what each task instance got
        ├── UnsupportedOperationException the server has no such endpoint; nothing was sent (405)
        ├── AnswerTooLargeError           the answer is larger than `max_answer_bytes`
        ├── ApiConnectionError            the server could not be reached, or the connection broke
        │   └── ApiTimeoutError           the server did not answer in time
        ├── WaitTimeoutError              a wait for a DAG run or task instances ran out of time
        ├── DagPausedError                what a wait waits for cannot start: its DAG is paused
        ├── ResponseTypeError (ApiTypeError)    a 2xx answer whose body has the wrong shape
        └── ResponseValueError (ApiValueError)  a 2xx answer whose body cannot be read

`except airflow_python_sdk.ApiException` catches everything a call can raise once its arguments
were accepted. Messages never include headers or credentials.

`values.py` holds the errors about values, `calls.py` those a call ends with, `changes.py` that
of a bulk change, `waits.py` those a wait ends with. None imports anything of the package above
`_internal` at run time.
"""

from __future__ import annotations

from airflow_python_sdk._errors.calls import (
    AmbiguousRunException,
    AnswerTooLargeError,
    ApiConnectionError,
    ApiException,
    ApiStatusError,
    ApiTimeoutError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    PagesChangedException,
    ResponseTypeError,
    ResponseValueError,
    RunNotFoundException,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
    UnprocessableEntityException,
    UnsupportedOperationException,
    exception_for_status,
)
from airflow_python_sdk._errors.changes import BulkChangeException
from airflow_python_sdk._errors.values import (
    ApiAttributeError,
    ApiKeyError,
    ApiTypeError,
    ApiValueError,
    OpenApiException,
    render_path,
)
from airflow_python_sdk._errors.waits import DagPausedError, WaitTimeoutError

__all__ = [
    "AmbiguousRunException",
    "AnswerTooLargeError",
    "ApiAttributeError",
    "ApiConnectionError",
    "ApiException",
    "ApiKeyError",
    "ApiStatusError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "BadRequestException",
    "BulkChangeException",
    "ConflictException",
    "DagPausedError",
    "ForbiddenException",
    "NotFoundException",
    "OpenApiException",
    "PagesChangedException",
    "ResponseTypeError",
    "ResponseValueError",
    "RunNotFoundException",
    "ServiceException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "UnsupportedOperationException",
    "WaitTimeoutError",
    "exception_for_status",
    "render_path",
]

"""Python client for the Airflow REST API: task instances, their logs and extra links.

    import airflow_python_sdk
    from airflow_python_sdk.api import task_instance_api

    configuration = airflow_python_sdk.Configuration.from_env()
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        api = task_instance_api.TaskInstanceApi(api_client)
        task_instance = api.get_task_instance("my_dag", "my_task", "2026-11-26T00:00:00+00:00")
"""

from airflow_python_sdk._original_client import warn_if_original_client_installed
from airflow_python_sdk._version import __version__
from airflow_python_sdk.api_client import ApiClient
from airflow_python_sdk.configuration import Configuration
from airflow_python_sdk.exceptions import (
    AmbiguousRunException,
    AnswerTooLargeError,
    ApiAttributeError,
    ApiConnectionError,
    ApiException,
    ApiKeyError,
    ApiStatusError,
    ApiTimeoutError,
    ApiTypeError,
    ApiValueError,
    BadRequestException,
    ConflictException,
    ForbiddenException,
    NotFoundException,
    OpenApiException,
    ResponseTypeError,
    ResponseValueError,
    RunNotFoundException,
    ServiceException,
    TooManyRequestsException,
    UnauthorizedException,
    UnprocessableEntityException,
    UnsupportedOperationException,
)

__all__ = [
    "AmbiguousRunException",
    "AnswerTooLargeError",
    "ApiAttributeError",
    "ApiClient",
    "ApiConnectionError",
    "ApiException",
    "ApiKeyError",
    "ApiStatusError",
    "ApiTimeoutError",
    "ApiTypeError",
    "ApiValueError",
    "BadRequestException",
    "Configuration",
    "ConflictException",
    "ForbiddenException",
    "NotFoundException",
    "OpenApiException",
    "ResponseTypeError",
    "ResponseValueError",
    "RunNotFoundException",
    "ServiceException",
    "TooManyRequestsException",
    "UnauthorizedException",
    "UnprocessableEntityException",
    "UnsupportedOperationException",
    "__version__",
]

warn_if_original_client_installed()  # both distributions provide this package: see the module

"""Python client for the Airflow REST API.

    import airflow_python_sdk
    from airflow_python_sdk.api import task_instance_api

    configuration = airflow_python_sdk.Configuration.from_env()
    with airflow_python_sdk.ApiClient(configuration) as api_client:
        api = task_instance_api.TaskInstanceApi(api_client)
        task_instance = api.get_task_instance("my_dag", "my_task", "2026-11-26T00:00:00+00:00")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from airflow_python_sdk._internal.original_client import warn_if_original_client_installed
from airflow_python_sdk._version import __version__

if TYPE_CHECKING:
    from airflow_python_sdk._client import ApiClient as ApiClient
    from airflow_python_sdk._errors import (
        AmbiguousRunException as AmbiguousRunException,
    )
    from airflow_python_sdk._errors import (
        AnswerTooLargeError as AnswerTooLargeError,
    )
    from airflow_python_sdk._errors import (
        ApiAttributeError as ApiAttributeError,
    )
    from airflow_python_sdk._errors import (
        ApiConnectionError as ApiConnectionError,
    )
    from airflow_python_sdk._errors import (
        ApiException as ApiException,
    )
    from airflow_python_sdk._errors import (
        ApiKeyError as ApiKeyError,
    )
    from airflow_python_sdk._errors import (
        ApiStatusError as ApiStatusError,
    )
    from airflow_python_sdk._errors import (
        ApiTimeoutError as ApiTimeoutError,
    )
    from airflow_python_sdk._errors import (
        ApiTypeError as ApiTypeError,
    )
    from airflow_python_sdk._errors import (
        ApiValueError as ApiValueError,
    )
    from airflow_python_sdk._errors import (
        BadRequestException as BadRequestException,
    )
    from airflow_python_sdk._errors import (
        BulkChangeException as BulkChangeException,
    )
    from airflow_python_sdk._errors import (
        ConflictException as ConflictException,
    )
    from airflow_python_sdk._errors import (
        DagPausedError as DagPausedError,
    )
    from airflow_python_sdk._errors import (
        ForbiddenException as ForbiddenException,
    )
    from airflow_python_sdk._errors import (
        NotFoundException as NotFoundException,
    )
    from airflow_python_sdk._errors import (
        OpenApiException as OpenApiException,
    )
    from airflow_python_sdk._errors import (
        PagesChangedException as PagesChangedException,
    )
    from airflow_python_sdk._errors import (
        ResponseTypeError as ResponseTypeError,
    )
    from airflow_python_sdk._errors import (
        ResponseValueError as ResponseValueError,
    )
    from airflow_python_sdk._errors import (
        RunNotFoundException as RunNotFoundException,
    )
    from airflow_python_sdk._errors import (
        ServiceException as ServiceException,
    )
    from airflow_python_sdk._errors import (
        TooManyRequestsException as TooManyRequestsException,
    )
    from airflow_python_sdk._errors import (
        UnauthorizedException as UnauthorizedException,
    )
    from airflow_python_sdk._errors import (
        UnprocessableEntityException as UnprocessableEntityException,
    )
    from airflow_python_sdk._errors import (
        UnsupportedOperationException as UnsupportedOperationException,
    )
    from airflow_python_sdk._errors import (
        WaitTimeoutError as WaitTimeoutError,
    )
    from airflow_python_sdk._settings.configuration import Configuration as Configuration
    from airflow_python_sdk._waiting.run_waits import DagRunResult as DagRunResult

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
    "BulkChangeException",
    "Configuration",
    "ConflictException",
    "DagPausedError",
    "DagRunResult",
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
    "__version__",
]

# Where each name lives. They are imported on first use: the package is imported whenever pytest
# loads the SDK's plugin (an entry point every test run of a project with the SDK installed
# loads), and the client's modules and urllib3 are not needed there until a fixture is used.
_HOMES = {name: "_errors" for name in __all__ if name != "__version__"}
_HOMES.update(ApiClient="_client", Configuration="_settings", DagRunResult="_waiting.run_waits")


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        # A submodule read as an attribute (`airflow_python_sdk.exceptions.X` after only
        # `import airflow_python_sdk`), which the eager imports used to make work.
        if name.startswith("__"):
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value  # looked up once: later reads are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


warn_if_original_client_installed()  # both distributions provide this package: see the module

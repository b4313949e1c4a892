"""The original client's settings that this SDK does not act on, and the warning they earn.

Each one is kept on `Configuration` so that scripts written for the original client still run;
set to anything but its default, it would silently do nothing, so the client says so once, when
it is made, naming what to use instead.
"""

from __future__ import annotations

import warnings
from typing import Any

__all__ = ["InertSettingWarning", "warn_about_inert_settings"]


class InertSettingWarning(UserWarning):
    """A setting of the original client was given a value, which has no effect here."""


# Setting -> (its default, what to use instead).
_INERT: dict[str, tuple[Any, str]] = {
    "api_key": ({}, "the API authenticates with HTTP basic auth: set username and password "
                    "(or access_token for Airflow 3)"),
    "api_key_prefix": ({}, "the API authenticates with HTTP basic auth: set username and "
                           "password (or access_token for Airflow 3)"),
    "refresh_api_key_hook": (None, "Airflow 3's bearer token is renewed on its own after a 401; "
                                   "set username and password"),
    "safe_chars_for_path_param": ("", "path parameters are always encoded as one whole path "
                                      "segment, so that no value can change the path"),
    "client_side_validation": (True, "pass _check_input_type=False (arguments) or "
                                     "_check_return_type=False (answers) to a call"),
    "temp_folder_path": (None, "no operation of this API downloads files"),
    "server_operation_index": ({}, "pass _host_index to a call, or set host"),
    "server_operation_variables": ({}, "set server_variables, or host"),
}


def warn_about_inert_settings(configuration: Any) -> None:
    """Warn once for each inert setting of `configuration` that is not at its default."""
    for name, (default, instead) in _INERT.items():
        value = getattr(configuration, name, default)
        if value != default and value is not None and not (default == {} and not value):
            warnings.warn(
                f"Configuration.{name} has no effect in this SDK: {instead}",
                InertSettingWarning,
                stacklevel=3,
            )

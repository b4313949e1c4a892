"""A warning when the original generated client is installed in the same place as this SDK.

Both distributions, this SDK (`airflow-rest-api-client`) and the original client
(`airflow-python-sdk`), install the import package `airflow_python_sdk`. Installed into the same
site directory, pip lays one's files over the other's: modules of both end up side by side and
uninstalling either one removes files the other needs. Nothing then fails at once, so the package
says so when it is imported.

The check must cost nothing on the normal path, where it finds nothing: it lists the one directory
the package was imported from (the only place where files can mix), and reads package metadata
(importlib.metadata, which is slow to import) only when a directory of the original's name is
there. An `airflow_python_sdk.egg-info` without a version, as a source checkout of this SDK may
have, is not an installed distribution and is not matched.
"""

from __future__ import annotations

import os
import warnings
from typing import Optional

__all__ = [
    "DISTRIBUTION",
    "ORIGINAL_DISTRIBUTION",
    "OriginalClientInstalledWarning",
    "find_original_client",
    "warn_if_original_client_installed",
]

DISTRIBUTION = "airflow-rest-api-client"
ORIGINAL_DISTRIBUTION = "airflow-python-sdk"
# How installers name the metadata directory of `airflow-python-sdk` (any version): a wheel gives
# `airflow_python_sdk-1.0.1.dist-info`, an old install from source
# `airflow_python_sdk-0.3.7-py3.9.egg-info`.
_METADATA_PREFIX = "airflow_python_sdk-"
_METADATA_SUFFIXES = (".dist-info", ".egg-info")

_warned = False  # once per process, even if the package is reloaded


class OriginalClientInstalledWarning(UserWarning):
    """The original `airflow-python-sdk` is installed where this SDK is: their files mix."""


def find_original_client(site_directory: str) -> Optional[str]:
    """'airflow-python-sdk VERSION' when the original client is installed in site_directory."""
    try:
        entries = os.listdir(site_directory)
    except OSError:  # a zip import or a directory gone: nothing installed there to mix with
        return None
    for entry in entries:
        lowered = entry.lower()
        if lowered.startswith(_METADATA_PREFIX) and lowered.endswith(_METADATA_SUFFIXES):
            return _describe(os.path.join(site_directory, entry))
    return None


def _describe(metadata_directory: str) -> Optional[str]:
    # Only reached when the original is very likely there, so the import's cost is paid then only.
    from importlib import metadata
    from pathlib import Path

    try:
        distribution = metadata.Distribution.at(Path(metadata_directory))
        name = distribution.metadata["Name"]
        version = distribution.version
    except Exception:  # unreadable metadata: a warning's check must never break the import
        return None
    if not isinstance(name, str) or name.lower().replace("_", "-") != ORIGINAL_DISTRIBUTION:
        return None
    return f"{ORIGINAL_DISTRIBUTION} {version}"


def warn_if_original_client_installed() -> None:
    """Warn once when the original client is installed next to this package."""
    global _warned
    if _warned:
        return
    # The directory the package was imported from (this module is airflow_python_sdk/_internal/
    # original_client.py): where pip would have laid both over each other.
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    original = find_original_client(os.path.dirname(package))
    if original is None:
        return
    _warned = True
    warnings.warn(
        f"{original} is installed in the same place as {DISTRIBUTION}; both provide the "
        f"'airflow_python_sdk' package, so their files are mixed. Uninstall the original "
        f"(`pip uninstall {ORIGINAL_DISTRIBUTION}`), then reinstall this SDK, whose files that "
        f"removes too (`pip install --force-reinstall --no-deps {DISTRIBUTION}`).",
        OriginalClientInstalledWarning,
        stacklevel=2,
    )

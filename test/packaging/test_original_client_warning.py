"""The warning at import when the original `airflow-python-sdk` is installed where this SDK is.

Each case installs a copy of the package into a site directory of its own, with or without the
original's metadata beside it, and imports it in a fresh interpreter that has that directory
first on its path, as Python would after `pip install` of both into one environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import airflow_python_sdk
from airflow_python_sdk._internal.original_client import (
    DISTRIBUTION,
    ORIGINAL_DISTRIBUTION,
    OriginalClientInstalledWarning,
    find_original_client,
)

PACKAGE = Path(airflow_python_sdk.__file__).resolve().parent
TIMEOUT_S = 60

# Imports the package twice over (a second import and a reload) with every warning recorded, and
# prints where the package came from and what was warned.
PROBE = """
import importlib, json, warnings
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    import airflow_python_sdk
    import airflow_python_sdk as again
    importlib.reload(again)
print(json.dumps({
    "file": airflow_python_sdk.__file__,
    "warnings": [
        {"category": w.category.__name__, "user_warning": issubclass(w.category, UserWarning),
         "message": str(w.message)}
        for w in caught
    ],
}))
"""


def _install_copy(site: Path) -> None:
    shutil.copytree(PACKAGE, site / "airflow_python_sdk",
                    ignore=shutil.ignore_patterns("__pycache__"))


def _write_metadata(directory: Path, file_name: str, name: str, version: str) -> None:
    directory.mkdir(parents=True)
    (directory / file_name).write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )


def _import_from(site: Path, *python_options: str) -> subprocess.CompletedProcess[str]:
    environment = {name: value for name, value in os.environ.items()
                   if not name.startswith("PYTHON")}
    environment["PYTHONPATH"] = str(site)
    return subprocess.run(
        [sys.executable, *python_options, "-c", PROBE],
        capture_output=True, text=True, env=environment, cwd=site, timeout=TIMEOUT_S,
    )


def _warnings_on_import(site: Path) -> list[dict[str, object]]:
    result = _import_from(site)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    # The copy was imported, not the checkout or an installed SDK.
    assert Path(report["file"]).resolve() == (site / "airflow_python_sdk" / "__init__.py").resolve()
    warnings: list[dict[str, object]] = report["warnings"]
    return warnings


def test_the_original_installed_alongside_warns_once_naming_both(tmp_path: Path) -> None:
    _install_copy(tmp_path)
    _write_metadata(tmp_path / "airflow_python_sdk-1.0.1.dist-info", "METADATA",
                    "airflow-python-sdk", "1.0.1")

    warnings = _warnings_on_import(tmp_path)

    assert len(warnings) == 1
    (warning,) = warnings
    assert warning["category"] == OriginalClientInstalledWarning.__name__
    assert warning["user_warning"] is True
    message = str(warning["message"])
    assert "airflow-python-sdk 1.0.1" in message
    assert DISTRIBUTION in message
    assert f"pip uninstall {ORIGINAL_DISTRIBUTION}" in message


def test_without_the_original_nothing_is_warned(tmp_path: Path) -> None:
    _install_copy(tmp_path)
    _write_metadata(tmp_path / "airflow_rest_api_client-2.0.0.dist-info", "METADATA",
                    DISTRIBUTION, "2.0.0")

    assert _warnings_on_import(tmp_path) == []
    # Warnings as errors, as pytest runs this suite: the import must still succeed.
    assert _import_from(tmp_path, "-W", "error").returncode == 0


def test_a_source_checkouts_unversioned_egg_info_is_not_the_original(tmp_path: Path) -> None:
    _install_copy(tmp_path)
    # What `pip install -e .` of this SDK under its former name left in a checkout.
    _write_metadata(tmp_path / "airflow_python_sdk.egg-info", "PKG-INFO",
                    "airflow-python-sdk", "1.0.0")

    assert _warnings_on_import(tmp_path) == []


def test_an_old_install_from_source_is_found_by_its_egg_info(tmp_path: Path) -> None:
    _write_metadata(tmp_path / "airflow_python_sdk-0.3.7-py3.9.egg-info", "PKG-INFO",
                    "airflow_python_sdk", "0.3.7")

    assert find_original_client(str(tmp_path)) == "airflow-python-sdk 0.3.7"


@pytest.mark.parametrize("name", ["airflow-python-sdk-fork", "something-else"])
def test_metadata_of_another_distribution_under_that_prefix_is_not_the_original(
    tmp_path: Path, name: str
) -> None:
    _write_metadata(tmp_path / "airflow_python_sdk-9.9.dist-info", "METADATA", name, "9.9")

    assert find_original_client(str(tmp_path)) is None


def test_unreadable_metadata_does_not_break_the_check(tmp_path: Path) -> None:
    (tmp_path / "airflow_python_sdk-1.0.1.dist-info").mkdir()

    assert find_original_client(str(tmp_path)) is None


def test_a_missing_directory_has_no_original(tmp_path: Path) -> None:
    assert find_original_client(str(tmp_path / "gone")) is None

"""tools/check_dist.py finds what is wrong with a wheel or an sdist, naming it.

The archives are laid out here as `python -m build` lays them out, from the checkout's own files,
then spoiled one way at a time; `make check-dist` runs the checker on the real ones.
"""

from __future__ import annotations

import io
import tarfile
import zipfile
from pathlib import Path
from typing import Optional

import pytest

from tools.check_dist import DISTRIBUTION, ROOT, check_sdist, check_wheel

VERSION = "2.0.0"
DIST_INFO = f"{DISTRIBUTION.replace('-', '_')}-{VERSION}.dist-info"
ENTRY_POINTS = """[console_scripts]
airflow-sdk = airflow_python_sdk.cli:main

[pytest11]
airflow_python_sdk = airflow_python_sdk.testing.pytest_plugin
"""
CHANGELOG = f"# Changelog\n\n## [Unreleased]\n\n## [{VERSION}] - 2026-12-01\n\n- Things.\n"


def _checkout_files(*trees: str) -> dict[str, bytes]:
    return {
        path.relative_to(ROOT).as_posix(): path.read_bytes()
        for tree in trees
        for path in sorted((ROOT / tree).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
    }


def _wheel(tmp_path: Path, drop: Optional[str] = None, add: Optional[str] = None,
           entry_points: str = ENTRY_POINTS) -> Path:
    files = _checkout_files("airflow_python_sdk")
    files[f"{DIST_INFO}/METADATA"] = (
        f"Metadata-Version: 2.4\nName: {DISTRIBUTION}\nVersion: {VERSION}\n\n".encode()
    )
    files[f"{DIST_INFO}/entry_points.txt"] = entry_points.encode()
    files[f"{DIST_INFO}/licenses/LICENSE"] = b"MIT"
    if drop is not None:
        del files[drop]
    if add is not None:
        files[add] = b""
    wheel = tmp_path / f"{DISTRIBUTION.replace('-', '_')}-{VERSION}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def _sdist(tmp_path: Path, drop: Optional[str] = None, add: Optional[str] = None,
           changelog: str = CHANGELOG) -> Path:
    files = _checkout_files("test", "tools")
    for name in ("openapi.yaml", "LICENSE", "README.md", "pyproject.toml", "Makefile"):
        files[name] = b"x"
    files["CHANGELOG.md"] = changelog.encode()
    if drop is not None:
        del files[drop]
    if add is not None:
        files[add] = b""
    prefix = f"{DISTRIBUTION.replace('-', '_')}-{VERSION}/"
    sdist = tmp_path / f"{prefix[:-1]}.tar.gz"
    with tarfile.open(sdist, "w:gz") as archive:
        for name, data in files.items():
            member = tarfile.TarInfo(prefix + name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    return sdist


def test_a_right_wheel_has_no_problem(tmp_path: Path) -> None:
    assert check_wheel(_wheel(tmp_path), VERSION) == []


@pytest.mark.parametrize(
    ("drop", "add", "expected"),
    [
        ("airflow_python_sdk/py.typed", None, "wheel: airflow_python_sdk/py.typed missing"),
        ("airflow_python_sdk/testing/pytest_plugin.py", None,
         "wheel: airflow_python_sdk/testing/pytest_plugin.py missing"),
        (None, "tests/test_x.py", "wheel: holds tests/"),
        (None, "benchmarks/run.sh", "wheel: holds benchmarks/"),
        (f"{DIST_INFO}/licenses/LICENSE", None, "wheel: LICENSE missing from the metadata"),
    ],
)
def test_a_wheel_missing_a_file_or_holding_a_stray_one_is_named(
    tmp_path: Path, drop: Optional[str], add: Optional[str], expected: str
) -> None:
    assert expected in check_wheel(_wheel(tmp_path, drop=drop, add=add), VERSION)


def test_a_wheel_without_the_pytest_plugin_entry_point_is_named(tmp_path: Path) -> None:
    entry_points = ENTRY_POINTS.split("[pytest11]")[0]

    problems = check_wheel(_wheel(tmp_path, entry_points=entry_points), VERSION)

    assert [p for p in problems if p.startswith("wheel: [pytest11] is {}")]


def test_a_wheel_of_another_version_is_named(tmp_path: Path) -> None:
    problems = check_wheel(_wheel(tmp_path), "2.0.1")

    assert f"wheel: holds {DIST_INFO}/ (only airflow_python_sdk/ and " \
           f"airflow_rest_api_client-2.0.1.dist-info/ belong)" in problems
    assert "wheel: no airflow_rest_api_client-2.0.1.dist-info/METADATA" in problems


def test_a_right_sdist_has_no_problem(tmp_path: Path) -> None:
    assert check_sdist(_sdist(tmp_path), VERSION) == []


@pytest.mark.parametrize("missing", ["openapi.yaml", "LICENSE", "CHANGELOG.md",
                                     "test/core/test_models.py", "tools/check_dist.py"])
def test_an_sdist_missing_what_a_packager_needs_is_named(tmp_path: Path, missing: str) -> None:
    assert f"sdist: {missing} missing" in check_sdist(_sdist(tmp_path, drop=missing), VERSION)


def test_an_sdist_holding_compiled_files_is_named(tmp_path: Path) -> None:
    stray = "test/__pycache__/conftest.cpython-311.pyc"

    assert f"sdist: holds {stray}" in check_sdist(_sdist(tmp_path, add=stray), VERSION)


def test_a_changelog_whose_newest_release_is_not_this_version_is_named(tmp_path: Path) -> None:
    changelog = CHANGELOG.replace(f"[{VERSION}]", "[1.9.0]")

    problems = check_sdist(_sdist(tmp_path, changelog=changelog), VERSION)

    assert problems == [f"sdist: CHANGELOG.md's newest release is ['1.9.0'], not {VERSION}"]

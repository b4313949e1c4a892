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

from tools.check_dist import (
    DISTRIBUTION,
    ROOT,
    check_changelog,
    check_metadata,
    check_sdist,
    check_wheel,
    python_versions,
)

VERSION = "2.1.0"
DIST_INFO = f"{DISTRIBUTION.replace('-', '_')}-{VERSION}.dist-info"
ENTRY_POINTS = """[console_scripts]
airflow-sdk = airflow_python_sdk.cli:main

[pytest11]
airflow_python_sdk = airflow_python_sdk.testing.pytest_plugin
"""
CHANGELOG = (f"# Changelog\n\n## [Unreleased]\n\n## [{VERSION}] - 2026-12-07\n\n- Things.\n\n"
             "## [2.0.0] - 2026-12-01\n\n- Earlier things.\n")
SUMMARY = ("Airflow REST API client for Airflow 2, Airflow 3 and the draft spec: task instances "
           "and their logs, lists, clear and state changes across DAGs, DAG runs, XCom; a command "
           "and pytest fixtures.")


def _metadata(summary: str = SUMMARY, extra: str = "",
              classifiers: Optional[list[str]] = None) -> str:
    """METADATA as setuptools writes it from pyproject.toml."""
    if classifiers is None:
        classifiers = ["Framework :: Apache Airflow", "Typing :: Typed",
                       *(f"Programming Language :: Python :: {v}" for v in python_versions())]
    return "".join([
        f"Metadata-Version: 2.4\nName: {DISTRIBUTION}\nVersion: {VERSION}\nSummary: {summary}\n",
        "Keywords: airflow,apache-airflow,rest,api,client\n",
        *(f"Classifier: {c}\n" for c in classifiers),
        f"Requires-Python: >={python_versions()[0]}\nLicense-Expression: MIT\n",
        "Requires-Dist: urllib3<3,>=1.26\nRequires-Dist: python-dateutil>=2.8\n",
        "Requires-Dist: certifi>=2023.7.22\nProvides-Extra: cli\n",
        'Requires-Dist: tqdm>=4.66; extra == "cli"\n',
        extra,
        "\n# airflow-rest-api-client\n",
    ])


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
    files[f"{DIST_INFO}/METADATA"] = _metadata().encode()
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


def test_right_metadata_has_no_problem() -> None:
    assert check_metadata(_metadata()) == []


@pytest.mark.parametrize(
    ("metadata", "expected"),
    [
        (_metadata(summary="Python client for the Airflow REST API: task instances, their logs "
                           "and extra links."),
         "metadata: the summary 'Python client for the Airflow REST API: task instances, their "
         "logs and extra links.' does not name ['across DAGs', 'DAG runs', 'XCom', 'Airflow 2', "
         "'Airflow 3', 'command', 'pytest fixtures']"),
        (_metadata(classifiers=["Framework :: Airflow",
                                *(f"Programming Language :: Python :: {v}"
                                  for v in python_versions())]),
         "metadata: classifier 'Framework :: Airflow' is not one the registry knows"),
        (_metadata(classifiers=["Programming Language :: Python :: 3.9",
                                "Programming Language :: Python :: 3.10"]),
         f"metadata: Python classifiers ['3.9', '3.10'], but the suite runs on "
         f"{python_versions()}"),
        (_metadata(extra="Classifier: License :: OSI Approved :: MIT License\n"),
         "metadata: a License classifier next to License-Expression"),
        (_metadata(extra="Project-URL: Homepage, https://example.com/airflow-sdk\n"),
         "metadata: Project-URL {'Homepage': 'https://example.com/airflow-sdk'}, not {}"),
        (_metadata(extra="Requires-Dist: requests\n"),
         "metadata: run-time dependencies ['certifi', 'python-dateutil', 'requests', "
         "'urllib3'], not ['certifi', 'python-dateutil', 'urllib3']"),
        (_metadata().replace("License-Expression: MIT", "License-Expression: Apache-2.0"),
         "metadata: License-Expression is 'Apache-2.0', not 'MIT'"),
    ],
)
def test_metadata_that_misstates_the_package_is_named(metadata: str, expected: str) -> None:
    assert expected in check_metadata(metadata)


def test_the_declared_pythons_are_those_the_makefile_tests_from_requires_python_up() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text()
    declared = [v for v in python_versions()
                if f'"Programming Language :: Python :: {v}",' in pyproject]
    assert declared == python_versions()
    assert f'requires-python = ">={python_versions()[0]}"' in pyproject


def test_the_changelog_and_the_version_agree() -> None:
    version = (ROOT / "airflow_python_sdk" / "_version.py").read_text().split('"')[1]
    assert check_changelog((ROOT / "CHANGELOG.md").read_text(), version) == []


@pytest.mark.parametrize(
    ("changelog", "expected"),
    [
        (CHANGELOG.replace(f"[{VERSION}] - 2026-12-07", f"[{VERSION}]"),
         f"CHANGELOG.md: release {VERSION} has no date (## [{VERSION}] - YYYY-MM-DD)"),
        (CHANGELOG.replace("## [Unreleased]\n\n", "") + "\n## [Unreleased]\n",
         "CHANGELOG.md: [Unreleased] is not above every release"),
        (CHANGELOG.replace(f"## [{VERSION}] - 2026-12-07\n\n- Things.\n\n", ""),
         f"CHANGELOG.md's newest release is ['2.0.0'], not {VERSION}"),
    ],
)
def test_a_changelog_that_disagrees_with_the_version_is_named(
    changelog: str, expected: str
) -> None:
    assert check_changelog(changelog, VERSION) == [expected]

"""The user's project shown in docs/TESTING_WITH_THE_EMBEDDED_SERVER.md runs and passes."""

from __future__ import annotations

import re

import pytest
from support.paths import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "TESTING_WITH_THE_EMBEDDED_SERVER.md"
# A code block that starts with a "# path/to/file.py" comment is a file of the example project.
PROJECT_FILE = re.compile(r"```python\n# (?P<path>[\w/]+\.py)\n(?P<code>.*?)```", re.DOTALL)


def test_the_guides_example_project_passes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {m["path"]: m["code"] for m in PROJECT_FILE.finditer(GUIDE.read_text("utf-8"))}
    assert {"myproject/rescue.py", "tests/test_rescue.py"} <= set(files)
    for path in ("myproject/rescue.py", "tests/test_rescue.py"):
        target = pytester.path / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(files[path], encoding="utf-8")
    (pytester.path / "myproject" / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(pytester.path))
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

    result = pytester.runpytest(
        "-p", "airflow_python_sdk.testing.pytest_plugin", "-p", "no:cacheprovider", "tests"
    )

    result.assert_outcomes(passed=4)


README = REPO_ROOT / "README.md"


def test_the_readmes_trigger_and_wait_example_passes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {m["path"]: m["code"] for m in PROJECT_FILE.finditer(README.read_text("utf-8"))}
    assert "tests/test_nightly_export.py" in files
    target = pytester.path / "tests" / "test_nightly_export.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(files["tests/test_nightly_export.py"], encoding="utf-8")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

    result = pytester.runpytest(
        "-p", "airflow_python_sdk.testing.pytest_plugin", "-p", "no:cacheprovider", "tests"
    )

    result.assert_outcomes(passed=2)


def test_the_guides_running_dags_example_passes(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = {m["path"]: m["code"] for m in PROJECT_FILE.finditer(GUIDE.read_text("utf-8"))}
    target = pytester.path / "tests" / "test_report_job.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(files["tests/test_report_job.py"], encoding="utf-8")
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")

    result = pytester.runpytest(
        "-p", "airflow_python_sdk.testing.pytest_plugin", "-p", "no:cacheprovider", "tests"
    )

    result.assert_outcomes(passed=1)

"""The example of docs/TESTING_WITH_REAL_AIRFLOW.md: the files it shows are the files here, and
its test runs on every server of the session, through the public `airflow_real` fixture.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

from support.paths import REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "TESTING_WITH_REAL_AIRFLOW.md"
EXAMPLE = REPO_ROOT / "docs" / "examples" / "real_airflow"
EXAMPLE_FILES = (EXAMPLE / "dags" / "nightly_cleanup.py", EXAMPLE / "test_nightly_cleanup.py")


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"docs_example_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Collected here as if written here: pytest runs it once per --airflow-real version.
test_a_full_disk_fails_the_run_and_its_log_says_why = _load(
    EXAMPLE / "test_nightly_cleanup.py"
).test_a_full_disk_fails_the_run_and_its_log_says_why


def test_the_guide_shows_the_example_files_as_they_are() -> None:
    guide = GUIDE.read_text()
    for path in EXAMPLE_FILES:
        assert f"```python\n{path.read_text()}```\n" in guide, f"{path.name} differs in the guide"

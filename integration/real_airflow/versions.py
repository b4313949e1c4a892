"""The Airflow versions the harness knows, and where their pieces live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HARNESS_DIR = Path(__file__).resolve().parent
REPO_ROOT = HARNESS_DIR.parents[1]

# Git-ignored; kept between runs so a second run does not install again.
# SDK_AIRFLOW_VENVS moves it, e.g. to a cache directory on CI.
VENVS_DIR = Path(os.environ.get("SDK_AIRFLOW_VENVS", str(REPO_ROOT / ".airflow-venvs")))


@dataclass(frozen=True)
class AirflowVersion:
    """One pinned Airflow release and how the harness talks to it."""

    version: str
    major: int
    api_prefix: str
    health_path: str

    @property
    def constraints_file(self) -> Path:
        return HARNESS_DIR / f"airflow-{self.version}-constraints.txt"

    @property
    def dag_file(self) -> Path:
        # Airflow 2 and 3 import DAG and BashOperator from different modules.
        return HARNESS_DIR / "dags" / f"airflow{self.major}" / "sdk_maintenance.py"

    @property
    def venv_dir(self) -> Path:
        return VENVS_DIR / self.version

    @property
    def airflow_bin(self) -> Path:
        return self.venv_dir / "bin" / "airflow"

    @property
    def python_bin(self) -> Path:
        return self.venv_dir / "bin" / "python"


AIRFLOW_2 = AirflowVersion("2.10.5", 2, "/api/v1", "/api/v1/health")
AIRFLOW_3 = AirflowVersion("3.3.2", 3, "/api/v2", "/api/v2/monitor/health")

SUPPORTED: dict[str, AirflowVersion] = {v.version: v for v in (AIRFLOW_2, AIRFLOW_3)}


def lookup(version: str) -> AirflowVersion:
    """Accept an exact pinned version, or a major version such as "2" or "3"."""
    if version in SUPPORTED:
        return SUPPORTED[version]
    for known in SUPPORTED.values():
        if version == str(known.major):
            return known
    raise ValueError(f"unknown Airflow version {version!r}; pinned: {', '.join(SUPPORTED)}")

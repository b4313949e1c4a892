"""The Airflow versions this package can start, and where their virtual environments live."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

__all__ = [
    "AIRFLOW_2",
    "AIRFLOW_3",
    "SUPPORTED",
    "VENVS_VARIABLE",
    "AirflowVersion",
    "Venv",
    "default_venvs_dir",
    "lookup",
]

CONSTRAINTS_DIR = Path(__file__).resolve().parent / "constraints"

# Moves the venvs, e.g. to a directory a CI cache keeps; an explicit option beats it.
VENVS_VARIABLE = "SDK_AIRFLOW_VENVS"


@dataclass(frozen=True)
class AirflowVersion:
    """One pinned Airflow release and how to talk to it."""

    version: str
    major: int
    api_prefix: str
    health_path: str

    @property
    def constraints_file(self) -> Path:
        """Every dependency pinned as tested; shipped with the package."""
        return CONSTRAINTS_DIR / f"airflow-{self.version}-constraints.txt"

    @property
    def dialect(self) -> str:
        """The SDK dialect (Configuration(dialect=...)) that speaks to this version."""
        return f"airflow{self.major}"


AIRFLOW_2 = AirflowVersion("2.10.5", 2, "/api/v1", "/api/v1/health")
AIRFLOW_3 = AirflowVersion("3.3.2", 3, "/api/v2", "/api/v2/monitor/health")

SUPPORTED: dict[str, AirflowVersion] = {v.version: v for v in (AIRFLOW_2, AIRFLOW_3)}


def lookup(version: str) -> AirflowVersion:
    """Accept an exact pinned version, or a major version such as "2" or "3"."""
    wanted = version.strip()
    if wanted in SUPPORTED:
        return SUPPORTED[wanted]
    for known in SUPPORTED.values():
        if wanted == str(known.major):
            return known
    raise ValueError(
        f"unknown Airflow version {version!r}; pinned: {', '.join(SUPPORTED)} (or 2, 3)"
    )


def default_venvs_dir(override: Optional[str] = None) -> Path:
    """Where venvs go: the override, else $SDK_AIRFLOW_VENVS, else the user's cache directory."""
    if override:
        return Path(override).expanduser().resolve()
    from_environment = os.environ.get(VENVS_VARIABLE)
    if from_environment:
        return Path(from_environment).expanduser().resolve()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "airflow-python-sdk" / "airflow-venvs"


@dataclass(frozen=True)
class Venv:
    """The virtual environment of one version under one venvs directory."""

    target: AirflowVersion
    root: Path

    @property
    def directory(self) -> Path:
        return self.root / self.target.version

    @property
    def airflow_bin(self) -> Path:
        return self.directory / "bin" / "airflow"

    @property
    def python_bin(self) -> Path:
        return self.directory / "bin" / "python"

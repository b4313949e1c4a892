"""Running the scripts of examples/ as their readers do: a process of its own, its settings in
the environment (AIRFLOW_API_*), stdin closed."""

from __future__ import annotations

import subprocess
import sys

from support.command_runner import clean_environment
from support.paths import REPO_ROOT

from airflow_python_sdk.testing.server import AirflowApiServer

__all__ = ["EXAMPLES", "job_environment", "run_example"]

EXAMPLES = REPO_ROOT / "examples"
# Generous: a job takes a few seconds; the bound only stops a hung one from hanging the suite.
TIMEOUT_S = 120.0


def run_example(script: str, environment: dict[str, str],
                *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(EXAMPLES / script), *arguments],
        capture_output=True, text=True, env=environment, timeout=TIMEOUT_S, cwd=REPO_ROOT,
        stdin=subprocess.DEVNULL,
    )


def job_environment(server: AirflowApiServer, user: str = "admin",
                    password: str = "admin") -> dict[str, str]:
    """The settings that point a job at `server`, signed in as `user`."""
    return clean_environment(AIRFLOW_API_HOST=server.url, AIRFLOW_API_USERNAME=user,
                             AIRFLOW_API_PASSWORD=password)

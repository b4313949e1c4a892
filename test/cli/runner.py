"""Running the command as users do: a separate process, its settings in the environment."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import airflow_python_sdk

REPO_ROOT = Path(airflow_python_sdk.__file__).resolve().parents[1]
# Generous: a run takes well under a second; the bound only stops a hung process from hanging
# the suite.
RUN_TIMEOUT_S = 60.0


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without any AIRFLOW_API_* setting, plus `variables`."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("AIRFLOW_API_")
    }
    environment.update(PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1", COLUMNS="100")
    environment.update(variables)
    return environment


@dataclass
class CliRunner:
    url: Optional[str]
    user: Optional[str] = None
    password: Optional[str] = None
    # None: the command's default (auto). A scripted server that answers only the operations it
    # plays (no /version) is named "draft" here.
    dialect: Optional[str] = None

    def environment(self, **variables: str) -> dict[str, str]:
        settings = {}
        if self.url is not None:
            settings["AIRFLOW_API_HOST"] = self.url
        if self.user is not None:
            settings["AIRFLOW_API_USERNAME"] = self.user
        if self.password is not None:
            settings["AIRFLOW_API_PASSWORD"] = self.password
        if self.dialect is not None:
            settings["AIRFLOW_API_DIALECT"] = self.dialect
        settings.update(variables)
        return clean_environment(**settings)

    def __call__(
        self,
        *arguments: str,
        stdin: str = "",
        env: Optional[dict[str, str]] = None,
        timeout: float = RUN_TIMEOUT_S,
    ) -> subprocess.CompletedProcess[str]:
        """Run the command; stdin is a pipe (never a terminal) holding `stdin`."""
        return subprocess.run(
            [sys.executable, "-m", "airflow_python_sdk", *arguments],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.environment() if env is None else env,
            timeout=timeout,
            cwd=REPO_ROOT,
        )

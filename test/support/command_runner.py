"""Running the `airflow-sdk` command with a user's settings in its environment: its `main()` in
this process, or `python -m airflow_python_sdk` in a process of its own."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from typing import Optional

from airflow_python_sdk.cli import main
from support.bounded_call import call_bounded
from support.paths import REPO_ROOT

# Generous: a run takes well under a second; the bound only stops a hung run from hanging the
# suite.
RUN_TIMEOUT_S = 60.0


# Settings of the shell the suite runs in that would change what the command prints; a test
# that wants one sets it.
_SHELL_SETTINGS = ("NO_COLOR",)


def clean_environment(**variables: str) -> dict[str, str]:
    """This process's environment without any AIRFLOW_API_* setting (nor NO_COLOR), plus
    `variables`."""
    environment = {
        name: value for name, value in os.environ.items()
        if not name.startswith("AIRFLOW_API_") and name not in _SHELL_SETTINGS
    }
    environment.update(PYTHONPATH=str(REPO_ROOT), PYTHONUNBUFFERED="1", COLUMNS="100")
    environment.update(variables)
    return environment


@dataclass
class CliRunner:
    """Runs `airflow-sdk` with the settings of a user pointed at `url`.

    Calling it runs the command's `main()` in this process, with the environment, stdin,
    stdout and stderr a process would get (`sys.stdout` and `sys.stderr` too, for what argparse
    prints): the same code from parsing the arguments to the exit status, without starting an
    interpreter each time. `in_a_process` starts `python -m airflow_python_sdk` instead, for
    what only a process shows: an uncaught error's traceback, debug logging, the interpreter's
    exit. Tests of terminals and signals start their own process (terminal.py).
    """

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
        """Run the command in this process; stdin is never a terminal and holds `stdin`."""
        stdout, stderr = io.StringIO(), io.StringIO()

        def run() -> int:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                return main(list(arguments), environ=self.environment() if env is None else env,
                            stdin=io.StringIO(stdin), stdout=stdout, stderr=stderr,
                            prompt=_no_prompt)

        outcome = call_bounded(run, timeout)
        if outcome.error is not None:
            raise outcome.error  # in a process, a traceback: a failure either way
        return subprocess.CompletedProcess(["airflow-sdk", *arguments], outcome.result,
                                           stdout.getvalue(), stderr.getvalue())

    def in_a_process(
        self,
        *arguments: str,
        stdin: str = "",
        env: Optional[dict[str, str]] = None,
        timeout: float = RUN_TIMEOUT_S,
    ) -> subprocess.CompletedProcess[str]:
        """Run `python -m airflow_python_sdk`; stdin is a pipe (never a terminal) holding
        `stdin`."""
        return subprocess.run(
            [sys.executable, "-m", "airflow_python_sdk", *arguments],
            input=stdin,
            capture_output=True,
            text=True,
            env=self.environment() if env is None else env,
            timeout=timeout,
            cwd=REPO_ROOT,
        )


def _no_prompt(text: str) -> str:
    raise AssertionError(f"the command asked for a password off a terminal: {text!r}")

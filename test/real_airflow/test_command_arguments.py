"""`python -m airflow_python_sdk.testing.real_airflow` checks its arguments before installing
anything: a DAG folder that does not exist, or a venvs directory that cannot be made, is one
error line and exit status 2 at once, not a traceback, nor minutes of installing Airflow first.

pip is pointed at a registry that refuses every connection: were an install attempted, the
command would say the registry is out of reach instead.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from airflow_python_sdk.testing.real_airflow.versions import VENVS_VARIABLE

COMMAND = [sys.executable, "-m", "airflow_python_sdk.testing.real_airflow"]


def offline(**variables: str) -> dict[str, str]:
    mine = {key: value for key, value in os.environ.items()
            if not key.startswith("PIP_") and key != VENVS_VARIABLE}
    return {**mine, "PIP_INDEX_URL": "http://127.0.0.1:9/simple", "PIP_CONFIG_FILE": os.devnull,
            **variables}


def run(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*COMMAND, *arguments], env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def one_error(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr
    return errors[0]


def test_a_dag_folder_that_does_not_exist_is_refused_before_installing(tmp_path: Path) -> None:
    venvs = tmp_path / "venvs"
    missing = tmp_path / "no-such-dags"

    done = run("--version", "3.3.2", "--dags", str(missing), "--venvs", str(venvs),
               env=offline())

    assert one_error(done) == f"error: --dags {missing}: no such folder"
    assert not venvs.exists()  # nothing installed, nothing even made


def test_a_dag_folder_that_is_a_file_is_refused_before_installing(tmp_path: Path) -> None:
    dag_file = tmp_path / "my_dag.py"
    dag_file.write_text("# a DAG file, not its folder\n")

    done = run("--version", "2", "--dags", str(dag_file), "--venvs", str(tmp_path / "venvs"),
               env=offline())

    assert one_error(done) == f"error: --dags {dag_file}: not a folder (give the folder holding " \
                              "the DAG files)"


@pytest.mark.parametrize("given_by", ["--venvs", VENVS_VARIABLE])
def test_a_venvs_directory_that_cannot_be_made_is_one_line(tmp_path: Path,
                                                          given_by: str) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("")
    venvs = a_file / "venvs"
    if given_by == "--venvs":
        done = run("--version", "3.3.2", "--venvs", str(venvs), env=offline())
    else:
        done = run("--version", "3.3.2", env=offline(**{VENVS_VARIABLE: str(venvs)}))

    error = one_error(done)
    assert error.startswith(f"error: cannot make the venvs directory {venvs}: ")
    assert "Not a directory" in error


def test_the_pytest_options_are_checked_before_any_test_runs(pytester: pytest.Pytester,
                                                             tmp_path: Path) -> None:
    pytester.makepyfile(test_user="def test_my_dag(airflow_real):\n    pass\n")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "--airflow-real=3",
         "--airflow-dags=no-such-dags", f"--airflow-venvs={tmp_path / 'venvs'}", "test_user.py"],
        cwd=pytester.path, env=offline(), capture_output=True, text=True, timeout=120,
        check=False)

    assert done.returncode == pytest.ExitCode.USAGE_ERROR, done.stdout + done.stderr
    assert f"--airflow-dags {pytester.path / 'no-such-dags'}: no such folder" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "venvs").exists()

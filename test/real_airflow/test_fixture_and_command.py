"""The fixture's options and the command, without a real Airflow: a fake `airflow` executable
(see conftest.py) stands in where a start must happen, and a closed port stands in for a package
registry out of reach.
"""

from __future__ import annotations

import fcntl
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.process_output import wait_for_line

from airflow_python_sdk.testing.real_airflow import install, startup
from airflow_python_sdk.testing.real_airflow.install import ensure_installed
from airflow_python_sdk.testing.real_airflow.processes import CommandFailed, processes_using_home
from airflow_python_sdk.testing.real_airflow.server_handle import stop_servers
from airflow_python_sdk.testing.real_airflow.versions import AIRFLOW_2, AIRFLOW_3, Venv

COMMAND = [sys.executable, "-m", "airflow_python_sdk.testing.real_airflow"]
# A version this Python can install (Airflow 3 needs 3.10), for the tests of installing.
INSTALLABLE = AIRFLOW_3 if sys.version_info >= (3, 10) else AIRFLOW_2
# A user's pytest, without the plugins of this project's own test tools (schemathesis and
# hypothesis take seconds to load, and the user's test needs neither).
USER_PYTEST = ["-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest"]
LINE_WAIT_S = 60.0  # the fake Airflow starts in a second; the bound only stops a hang
USER_TEST = """
def test_my_dag(airflow_real):
    print("home", airflow_real.airflow_home, "url", airflow_real.url, flush=True)
    assert airflow_real.dialect == "airflow3"
    import time
    time.sleep(float(__import__("os").environ.get("HOLD_S", "0")))
"""


def offline_environment(venvs: Path, refused_port: int) -> dict[str, str]:
    """pip pointed at a registry that refuses every connection, with no config of its own."""
    mine = {key: value for key, value in os.environ.items() if not key.startswith("PIP_")}
    return {
        **mine,
        "PIP_INDEX_URL": f"http://127.0.0.1:{refused_port}/simple",
        "PIP_CONFIG_FILE": os.devnull,
        "SDK_AIRFLOW_VENVS": str(venvs),
    }


def test_without_the_option_a_test_asking_for_a_real_airflow_is_skipped_saying_how(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest("-rs")
    result.assert_outcomes(skipped=1)
    result.stdout.fnmatch_lines(
        ["*airflow_real needs a real Airflow: run pytest with --airflow-real=3.3.2*--airflow-dags*"]
    )


def test_each_version_asked_for_gets_its_own_run_of_a_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest("--collect-only", "-q", "--airflow-real=2,3", "--airflow-real=3")
    result.stdout.fnmatch_lines(
        [
            "test_user.py::test_my_dag[[]airflow-2.10.5[]]",
            "test_user.py::test_my_dag[[]airflow-3.3.2[]]",
        ]
    )
    assert "2 tests collected" in result.stdout.str()


def test_an_unknown_version_is_a_usage_error(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    result = pytester.runpytest("--airflow-real=4")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*--airflow-real: unknown Airflow version '4'; pinned: 2.10.5, 3.3.2*"]
    )


def test_a_registry_out_of_reach_is_one_clear_line_in_pytest(
    pytester: pytest.Pytester, tmp_path: Path, refused_port: int
) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    venvs = tmp_path / "empty-venvs"
    env = offline_environment(tmp_path / "not-these", refused_port)
    done = subprocess.run(
        [sys.executable, "-m", "pytest", *USER_PYTEST, f"--airflow-real={INSTALLABLE.major}",
         f"--airflow-venvs={venvs}", "test_user.py"],
        cwd=pytester.path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == pytest.ExitCode.TESTS_FAILED, done.stdout + done.stderr
    assert "1 error" in done.stdout
    assert re.search(
        rf"(?m)^cannot install apache-airflow=={re.escape(INSTALLABLE.version)}: the package "
        r"registry is out of reach \(Connection refused\); connect once",
        done.stdout,
    ), done.stdout
    assert "Traceback" not in done.stdout and "def " not in done.stdout  # no code, no trace
    # The option moved the venvs, not the variable.
    assert (venvs / f"{INSTALLABLE.version}.lock").exists()


def test_a_registry_out_of_reach_is_one_clear_line_from_the_command(
    tmp_path: Path, refused_port: int
) -> None:
    done = subprocess.run(
        [*COMMAND, "--version", str(INSTALLABLE.major)],
        env=offline_environment(tmp_path / "venvs", refused_port),
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, done.stderr
    assert "the package registry is out of reach (Connection refused)" in errors[0]
    assert "Traceback" not in done.stderr


def test_a_taken_port_is_traded_for_another(
    fake_airflow_venvs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        taken_port = taken.getsockname()[1]
        ports = iter([taken_port])
        real_free_port = startup.free_port
        monkeypatch.setattr(startup, "free_port", lambda: next(ports, None) or real_free_port())

        server = startup.start_server(Venv(AIRFLOW_3, fake_airflow_venvs), timeout_s=60)
    try:
        assert server.port != taken_port
        assert server.pids.keys() == {"api-server", "scheduler"}
    finally:
        stop_servers([server])
    assert processes_using_home(server.airflow_home) == []
    assert not server.airflow_home.exists()


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_the_command_prints_url_and_credentials_and_stops_cleanly_on_a_signal(
    fake_airflow_venvs: Path, tmp_path: Path, stop_signal: signal.Signals
) -> None:
    dags = tmp_path / "dags"
    dags.mkdir()
    process = subprocess.Popen(
        [*COMMAND, "--version", "3.3.2", "--dags", str(dags), "--venvs", str(fake_airflow_venvs)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        url = wait_for_line(process, r"^Airflow 3\.3\.2 at ", LINE_WAIT_S).string
        auth = wait_for_line(process, r"^  auth:", LINE_WAIT_S).string
        wait_for_line(process, r"^  dags:", LINE_WAIT_S)
        home = Path(wait_for_line(process, r"^  home: (.+)$", LINE_WAIT_S).group(1).strip())
        wait_for_line(process, "Ctrl-C stops", LINE_WAIT_S)
        assert re.match(r"Airflow 3\.3\.2 at http://127\.0\.0\.1:\d+/api/v2 ", url)
        assert '{"username": "admin", "password": "admin"}' in auth
        assert processes_using_home(home)
        process.send_signal(stop_signal)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        assert process.stdout is not None
        process.stdout.close()
    assert processes_using_home(home) == []
    assert not home.exists()


def test_pytest_stopped_by_sigterm_stops_the_server(
    pytester: pytest.Pytester, fake_airflow_venvs: Path
) -> None:
    pytester.makepyfile(test_user=USER_TEST)
    process = subprocess.Popen(
        [sys.executable, "-m", "pytest", "-s", *USER_PYTEST, "--airflow-real=3",
         f"--airflow-venvs={fake_airflow_venvs}", "test_user.py"],
        cwd=pytester.path, env={**os.environ, "HOLD_S": "120"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        home = Path(wait_for_line(process, r"^home ", LINE_WAIT_S).string.split()[1])
        assert processes_using_home(home)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        assert process.stdout is not None
        process.stdout.close()
    assert processes_using_home(home) == []
    assert not home.exists()


def test_an_install_waits_for_the_lock_another_install_holds(tmp_path: Path) -> None:
    venv = Venv(AIRFLOW_3, tmp_path / "venvs")
    venv.root.mkdir()
    with open(venv.root / "3.3.2.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # as a second test run installing 3.3.2 would
        started = time.monotonic()
        with pytest.raises(CommandFailed, match="another process has been installing Airflow"):
            ensure_installed(venv, timeout_s=2)
    assert time.monotonic() - started >= 2
    assert not venv.directory.exists()  # nothing was built beside the other install


def test_the_command_serves_on_the_port_asked_for(fake_airflow_venvs: Path) -> None:
    with socket.socket() as probe:  # free a moment ago; the server binds it at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [*COMMAND, "--version", "3", "--port", str(port), "--venvs", str(fake_airflow_venvs)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        url = wait_for_line(process, r"^Airflow 3\.3\.2 at ", LINE_WAIT_S).string
        wait_for_line(process, "Ctrl-C stops", LINE_WAIT_S)
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
        assert process.stdout is not None
        process.stdout.close()
    assert url.startswith(f"Airflow 3.3.2 at http://127.0.0.1:{port}/api/v2 ")


def test_a_port_for_several_versions_is_a_usage_error() -> None:
    done = subprocess.run([*COMMAND, "--version", "2", "--version", "3", "--port", "8080"],
                          capture_output=True, text=True, timeout=60)

    assert done.returncode == 2
    assert "--port needs exactly one --version" in done.stderr


def test_a_python_too_old_for_the_version_refuses_to_install_it_but_uses_an_installed_one(
    fake_airflow_venvs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(install.PYTHON_NEEDED, 3, (99, 0))  # as Airflow 3 on Python 3.9

    with pytest.raises(CommandFailed, match=r"Airflow 3\.3\.2 needs Python 99\.0 or newer to "
                                            r"be installed; this is 3\."):
        ensure_installed(Venv(AIRFLOW_3, tmp_path / "empty-venvs"))
    assert not (tmp_path / "empty-venvs" / "3.3.2").exists()
    assert ensure_installed(Venv(AIRFLOW_3, fake_airflow_venvs)) == 0.0  # installed: used

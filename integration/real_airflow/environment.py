"""The environment of an Airflow command: a fresh home, little memory, 127.0.0.1 only."""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from integration.real_airflow.versions import AirflowVersion


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str


ADMIN = Credentials("admin", "admin")
# Read-only user: lets tests check that a write is refused with 403.
READER = Credentials("reader", "reader")


HOSTNAME_MODULE = "sdk_loopback_hostname"


def airflow_environment(target: AirflowVersion, home: Path, port: int) -> dict[str, str]:
    """Environment for every command of one server: its own home, nothing from the caller's."""
    # Settings meant for another Airflow (or the SDK's venv) must not leak into this one.
    inherited = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AIRFLOW")
        and key not in ("VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")
    }
    venv_bin = str(target.venv_dir / "bin")
    env = {
        **inherited,
        "PATH": venv_bin + os.pathsep + inherited.get("PATH", "/usr/bin:/bin"),
        "VIRTUAL_ENV": str(target.venv_dir),
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
        # The API server, the scheduler and the CLI write to one SQLite file at once; wait up to
        # 60 s for a lock instead of the driver's 5 s, which a loaded 2-core machine can exceed.
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}?timeout=60",
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__SCHEDULER__MIN_FILE_PROCESS_INTERVAL": "5",
        # Two tasks at most run at once; the default would fork 32 workers.
        "AIRFLOW__CORE__PARALLELISM": "2",
        # Task instances record this as their host, and Airflow 2 fetches logs it cannot find
        # locally from that host's port 8793: keep that on loopback on any machine.
        "AIRFLOW__CORE__HOSTNAME_CALLABLE": f"{HOSTNAME_MODULE}.loopback_hostname",
        "PYTHONUNBUFFERED": "1",  # log lines reach the log files as they happen
        # Tasks and the scheduler call the API server on 127.0.0.1: never through a proxy.
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    if target.major == 2:
        env.update(
            {
                "AIRFLOW__API__AUTH_BACKENDS": (
                    "airflow.api.auth.backend.basic_auth,airflow.api.auth.backend.session"
                ),
                # One gunicorn worker is about 390 MB; the default four cost about 750 MB.
                "AIRFLOW__WEBSERVER__WORKERS": "1",
                "AIRFLOW__WEBSERVER__WEB_SERVER_HOST": "127.0.0.1",
                "AIRFLOW__WEBSERVER__WEB_SERVER_PORT": str(port),
                "AIRFLOW__WEBSERVER__BASE_URL": f"http://127.0.0.1:{port}",
            }
        )
    else:
        env.update(
            {
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": (
                    f"{ADMIN.username}:admin,{READER.username}:viewer"
                ),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(
                    home / "simple_auth_manager_passwords.json"
                ),
                "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(64),
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__API__PORT": str(port),
                "AIRFLOW__API__WORKERS": "1",
                "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
                # Tasks report their state to the API server, so it runs while tasks run.
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            }
        )
    return env


def prepare_home(target: AirflowVersion, home: Path) -> None:
    """Put the DAG, the hostname callable and (Airflow 3) the passwords into a fresh home."""
    dags = home / "dags"
    dags.mkdir(parents=True)
    # The version's sdk_maintenance, and the DAGs of further scenarios, which run on both
    # versions as they are (dags/*.py).
    shared = sorted(target.dag_file.parent.parent.glob("*.py"))
    for dag_file in [target.dag_file, *shared]:
        (dags / dag_file.name).write_text(dag_file.read_text())
    # Airflow puts $AIRFLOW_HOME/config on sys.path, so the hostname callable is importable.
    config = home / "config"
    config.mkdir()
    (config / f"{HOSTNAME_MODULE}.py").write_text(
        'def loopback_hostname() -> str:\n    return "localhost"\n'
    )
    if target.major == 3:
        passwords = {ADMIN.username: ADMIN.password, READER.username: READER.password}
        (home / "simple_auth_manager_passwords.json").write_text(json.dumps(passwords))

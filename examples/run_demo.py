#!/usr/bin/env python3
"""`make demo`: run examples/maintenance_job.py against an Airflow API server.

With AIRFLOW_API_HOST unset, it starts the SDK's embedded Airflow API server with its sample
data on 127.0.0.1 (a free port), its scheduler running what the job clears, and points the job
at it; the sample data's last day has three failures: a bad row, a reset connection (cleared,
and its rerun succeeds) and a timeout of nightly_billing.invoice, which the demo names as known
flaky. With AIRFLOW_API_HOST set, the job runs against that server instead, with
the AIRFLOW_API_* variables as they are and this script's arguments (e.g. --flaky DAG.TASK).

The job runs as its own process with the environment set, exactly as a user would run it; its
output is printed as it comes and its exit status is this script's.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from airflow_python_sdk.testing import AirflowApiServer

EXAMPLES = Path(__file__).resolve().parent
JOB = EXAMPLES / "maintenance_job.py"
# The sample data's flaky task: its failures are marked skipped rather than run again.
SAMPLE_FLAKY = ["--flaky", "nightly_billing.invoice"]
DEMO_USER = ("admin", "admin")  # a user of the embedded server's default set
JOB_TIMEOUT_S = 300  # far more than the job needs; a hung server must not hang `make demo`


def run_job(environment: dict[str, str], arguments: list[str]) -> int:
    command = [sys.executable, str(JOB), *arguments]
    try:
        return subprocess.run(command, env=environment, timeout=JOB_TIMEOUT_S).returncode
    except subprocess.TimeoutExpired:
        print(f"The job did not finish within {JOB_TIMEOUT_S} s.", file=sys.stderr)
        return 1


def main() -> int:
    if os.environ.get("AIRFLOW_API_HOST"):
        print(f"Running the maintenance job against {os.environ['AIRFLOW_API_HOST']}\n",
              flush=True)
        return run_job(dict(os.environ), sys.argv[1:])
    with AirflowApiServer(scheduler=True) as server:
        print(f"Embedded Airflow API server with sample data at {server.url}\n", flush=True)
        environment = dict(
            os.environ,
            AIRFLOW_API_HOST=server.url,
            AIRFLOW_API_USERNAME=DEMO_USER[0],
            AIRFLOW_API_PASSWORD=DEMO_USER[1],
            # The embedded server speaks the spec itself, whatever the shell has set.
            AIRFLOW_API_DIALECT="draft",
        )
        status = run_job(environment, SAMPLE_FLAKY)
    print(f"\nThe maintenance job exited with status {status}.")
    return status


if __name__ == "__main__":
    sys.exit(main())

"""`airflow-sdk`: the TaskInstance operations from a shell.

    airflow-sdk get etl_daily transform 2026-11-26T00:00:00+00:00
    airflow-sdk logs etl_daily transform 2026-11-26T00:00:00+00:00 --follow --output t.log
    airflow-sdk set-state etl_daily transform --state success --dates-file dates.txt
    airflow-sdk list --state failed --since 24h --json | airflow-sdk clear --from - --yes
    python -m airflow_python_sdk ...             # the same, without the console script

docs/CLI.md describes every option and the exit statuses.
"""

from __future__ import annotations

from airflow_python_sdk.cli.main import main

__all__ = ["main"]

"""python -m airflow_python_sdk: the `airflow-sdk` command, for when the script is not on PATH."""

from __future__ import annotations

import sys

from airflow_python_sdk.cli import main

if __name__ == "__main__":
    sys.exit(main())

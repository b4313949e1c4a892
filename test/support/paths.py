"""Where the repository and the data the tests read are, whichever folder a test is in."""

from __future__ import annotations

from pathlib import Path

__all__ = ["RECORDED_ANSWERS", "REPO_ROOT"]

REPO_ROOT = Path(__file__).resolve().parents[2]
# Answers recorded from real Airflow 2 and 3 servers.
RECORDED_ANSWERS = REPO_ROOT / "test" / "data" / "real_airflow_responses"

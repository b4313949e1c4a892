"""Seed data for bulk runs: one task failed at many execution dates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

FIRST_DATE = datetime(2026, 10, 1, tzinfo=timezone.utc)


def bulk_dates(count: int) -> list[str]:
    return [(FIRST_DATE + timedelta(days=day)).isoformat() for day in range(count)]


def bulk_seed(count: int) -> list[dict[str, Any]]:
    return [
        {"dag_id": "nightly", "task_id": "sync", "execution_date": date, "state": "failed",
         "try_number": 1}
        for date in bulk_dates(count)
    ]

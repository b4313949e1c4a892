"""`--since` and `--until`: a point in time written as a date-time, a plain date or a span back.

    2026-11-26T06:00:00Z    an RFC 3339 date-time with a time zone
    2026-11-26              a plain date: midnight UTC
    24h, 7d, 90m, 2w        that long before now (s, m, h, d, w)

A span is measured back from one `now` taken once per command, so `--since 24h --until 1h`
is a window of exactly 23 hours.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Optional

from airflow_python_sdk.cli.dates import parse_execution_date
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import quoted

__all__ = ["SPAN_UNITS", "parse_when"]

SPAN_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_SPAN = re.compile(r"(\d+)([a-zA-Z]+)")
# Far enough back for any Airflow's history; more would overflow datetime arithmetic.
_LONGEST_SPAN = timedelta(days=365 * 1000)


def parse_when(text: str, now: datetime, option: str) -> datetime:
    """The point in time `text` names, spans counted back from `now` (aware)."""
    candidate = text.strip()
    span = _SPAN.fullmatch(candidate)
    if span is not None:
        return now - _span(span, text, option)
    try:
        return parse_execution_date(candidate)
    except UsageError as error:
        if candidate[:1].isdigit() and "-" not in candidate and ":" not in candidate:
            raise _bad_span(text, option) from None
        raise UsageError(f"{option} {error}") from None


def _span(match: re.Match[str], text: str, option: str) -> timedelta:
    number, unit = int(match.group(1)), match.group(2).lower()
    name: Optional[str] = SPAN_UNITS.get(unit)
    if name is None:
        raise _bad_span(text, option)
    span = timedelta(**{name: number}) if number <= 10**9 else _LONGEST_SPAN
    return min(span, _LONGEST_SPAN)


def _bad_span(text: str, option: str) -> UsageError:
    units = ", ".join(f"{unit} ({name})" for unit, name in SPAN_UNITS.items())
    return UsageError(
        f"{option} {quoted(text)} is not a span: write a whole number and a unit, e.g. 24h or 7d "
        f"(units: {units}), or a date such as 2026-11-26 or 2026-11-26T06:00:00Z"
    )

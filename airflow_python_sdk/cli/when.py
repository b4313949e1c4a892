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

from airflow_python_sdk.cli.dates import parse_execution_date
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import quoted

__all__ = ["SPAN_UNITS", "parse_when"]

SPAN_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_SPAN = re.compile(r"(\d+)([a-zA-Z]+)")
# Far enough back for any Airflow's history; more would overflow datetime arithmetic.
_LONGEST_DAYS = 365 * 1000


def parse_when(text: str, now: datetime, option: str) -> datetime:
    """The point in time `text` names, spans counted back from `now` (aware)."""
    candidate = text.strip()
    span = _SPAN.fullmatch(candidate)
    if span is not None:
        return now - _span(span, text, option)
    try:
        return parse_execution_date(candidate)
    except UsageError as error:
        if not _looks_like_a_date(candidate):
            # "24x", "yesterday", "1 day": not a date attempt; say how spans are written too.
            raise _bad_span(text, option) from None
        raise UsageError(f"{option} {error}") from None


def _looks_like_a_date(candidate: str) -> bool:
    return candidate[:4].isdigit() and ("-" in candidate or ":" in candidate)


def _span(match: re.Match[str], text: str, option: str) -> timedelta:
    digits, unit = match.group(1), match.group(2).lower()
    if unit not in SPAN_UNITS:
        raise _bad_span(text, option)
    # Compared as whole numbers first: timedelta(days=10**9) itself overflows.
    if len(digits) > 15 or int(digits) * _SECONDS[unit] > _LONGEST_DAYS * 86400:
        raise UsageError(
            f"{option} {quoted(text)} reaches back more than 1000 years (the longest span is "
            f"{_LONGEST_DAYS}d): give a date instead, e.g. 2026-11-26")
    return timedelta(seconds=int(digits) * _SECONDS[unit])


def _bad_span(text: str, option: str) -> UsageError:
    units = ", ".join(f"{unit} ({name})" for unit, name in SPAN_UNITS.items())
    return UsageError(
        f"{option} {quoted(text)} is neither a span nor a date: write a span back from now as a "
        f"whole number and a unit, e.g. 24h or 7d (units: {units}), or a date such as "
        "2026-11-26 or 2026-11-26T06:00:00Z"
    )

"""RFC 3339 date-times: parsing what servers send and formatting what we send."""

from __future__ import annotations

import sys
from datetime import datetime

__all__ = ["format_datetime", "parse_datetime"]

# From Python 3.11 on, datetime.fromisoformat reads every RFC 3339 form ("Z", any number of
# fraction digits) in C, about thirty times faster than dateutil; before 3.11 it rejects "Z" and
# fractions that are not 3 or 6 digits, and dateutil's ISO parser takes over.
_FROMISOFORMAT_READS_RFC3339 = sys.version_info >= (3, 11)


def parse_datetime(text: str) -> datetime:
    """Parse an RFC 3339 / ISO 8601 date-time; raise ValueError when it is not one."""
    if _FROMISOFORMAT_READS_RFC3339:
        return datetime.fromisoformat(text)
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        # Imported only when needed: dateutil's parser costs milliseconds to import.
        from dateutil.parser import isoparse

        try:
            return isoparse(text)
        except OverflowError as exc:
            raise ValueError(str(exc)) from exc


def format_datetime(value: datetime) -> str:
    """Format an aware datetime as RFC 3339 (`2026-11-26T00:00:00+00:00`)."""
    return value.isoformat()

"""RFC 3339 date-times: parsing what servers send and formatting what we send.

RFC 3339 (section 5.6) requires a full date, a full time with seconds and an offset ("Z", "z"
or +hh:mm); "T", "t" or a space separate date and time. A date alone or a time without an offset
is not a date-time: it cannot say which instant, and so which DAG run, it means.
"""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone

__all__ = ["format_datetime", "is_aware", "parse_datetime", "parse_datetime_fast"]

# From Python 3.11 on, datetime.fromisoformat reads every RFC 3339 form once "z" is spelled
# "+00:00" (any number of fraction digits), in C, about thirty times faster than dateutil; before
# 3.11 it rejects fractions that are not 3 or 6 digits, and dateutil's ISO parser takes over.
_FROMISOFORMAT_READS_RFC3339 = sys.version_info >= (3, 11)
_SHORTEST = len("2026-11-26T00:00:00Z")
_DATE_TIME_SHAPES = frozenset({"--T::", "--t::", "-- ::"})
_OFFSET_SHAPES = frozenset({"+:", "-:"})


def parse_datetime_fast(text: str) -> datetime:
    """The common case of `parse_datetime`, for the hot path of reading answers: the forms
    fromisoformat reads, checked after parsing (cheaper than before). Raises (ValueError or
    TypeError) on anything else, which `parse_datetime` then decides."""
    value = datetime.fromisoformat(text)
    # fromisoformat also reads ISO 8601 forms RFC 3339 does not have: basic ("20261126T0000Z"),
    # week and ordinal dates, times without seconds, offsets without a colon or with seconds,
    # and no offset at all. The separators at 4, 7, 10, 13 and 16, and the offset's sign and
    # colon, tell them apart; a slice checks them at once.
    if text[4:17:3] not in _DATE_TIME_SHAPES or (
        text[-1] != "Z" and text[-6::3] not in _OFFSET_SHAPES
    ):
        raise ValueError(text)
    return value


def parse_datetime(text: str) -> datetime:
    """Parse an RFC 3339 date-time into an aware datetime; raise ValueError when it is not one."""
    try:
        return parse_datetime_fast(text)
    except (ValueError, TypeError, IndexError):
        pass  # "z", fractions Python < 3.11 cannot read, or not a date-time: decided below
    # The layout is checked by position (cheap); fromisoformat then checks the digits.
    if (
        len(text) < _SHORTEST
        or text[4] != "-"
        or text[7] != "-"
        or text[10] not in "Tt "
        or text[13] != ":"
        or text[16] != ":"
    ):
        raise ValueError(f"{text!r} is not an RFC 3339 date-time")
    if text[-1] in "Zz":
        text = text[:-1] + "+00:00"
    elif text[-6] not in "+-" or text[-3] != ":":
        raise ValueError(f"{text!r} has no UTC offset")
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


def is_aware(value: datetime) -> bool:
    """Whether `value` names an instant (Python calls a datetime naive when utcoffset() is None,
    even with a tzinfo)."""
    return value.utcoffset() is not None


def format_datetime(value: datetime) -> str:
    """Format an aware datetime as RFC 3339 (`2026-11-26T00:00:00+00:00`)."""
    if value.tzinfo is timezone.utc:  # the usual case, whose offset is whole minutes
        return value.isoformat()
    offset = value.utcoffset()
    if offset is not None and offset % timedelta(minutes=1):
        # RFC 3339 offsets are whole minutes; zones such as Amsterdam before 1909 (+00:19:32)
        # are written as the same instant in UTC.
        value = value.astimezone(timezone.utc)
    return value.isoformat()

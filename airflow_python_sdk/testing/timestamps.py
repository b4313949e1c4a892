"""Parsing and printing of the API's date-times, so every module keys task instances alike.

A task instance is addressed by its execution date, and clients spell the same instant in several
ways ("...Z", "...+00:00", "...+01:00" an hour later). Keys therefore hold aware UTC datetimes.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

# RFC 3339 section 5.6, plus what Airflow also accepts: a space or lower-case "t" between date and
# time, an offset without its colon, and no offset at all (read as UTC, as Airflow does).
_DATE_TIME = re.compile(
    r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})[Tt ]"
    r"(?P<hour>\d{2}):(?P<minute>\d{2}):(?P<second>\d{2})(?:\.(?P<fraction>\d+))?"
    r"(?P<offset>[Zz]|[+-]\d{2}:?\d{2})?"
)


class InvalidTimestamp(ValueError):
    """The text is not a date-time."""


class UnrepresentableTimestamp(ValueError):
    """A well-formed date-time whose UTC instant falls outside years 1-9999.

    No task instance can have such a date, so the server answers these with 404, not 400.
    """


def parse_timestamp(text: str) -> datetime:
    """Read an RFC 3339 date-time as an aware UTC datetime."""
    match = _DATE_TIME.fullmatch(text.strip())
    if match is None:
        raise InvalidTimestamp(f"{text!r} is not an RFC 3339 date-time")
    fraction = (match["fraction"] or "")[:6].ljust(6, "0")
    second = int(match["second"])
    # A leap second names the instant just before the next minute; datetime cannot hold :60.
    leap = second == 60
    try:
        offset = _parse_offset(match["offset"])
        local = datetime(
            int(match["year"]),
            int(match["month"]),
            int(match["day"]),
            int(match["hour"]),
            int(match["minute"]),
            59 if leap else second,
            int(fraction),
            tzinfo=offset,
        )
    except ValueError as error:
        raise InvalidTimestamp(f"{text!r} is not a valid date-time: {error}") from None
    try:
        return local.astimezone(timezone.utc)
    except OverflowError:
        raise UnrepresentableTimestamp(f"{text!r} lies outside years 1-9999 in UTC") from None


def has_zone(value: object) -> bool:
    """Whether a datetime is aware, or a date-time text names its offset ("Z", "+02:00")."""
    if isinstance(value, datetime):
        return value.tzinfo is not None and value.utcoffset() is not None
    match = _DATE_TIME.fullmatch(value.strip()) if isinstance(value, str) else None
    return match is None or match["offset"] is not None  # what is no date-time: said elsewhere


def to_utc(value: datetime) -> datetime:
    """Make a datetime aware and UTC; a naive one is taken to be UTC already."""
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def format_timestamp(value: datetime) -> str:
    """Print a date-time the way Airflow's API does: ISO 8601 with a "+00:00" offset."""
    return to_utc(value).isoformat()


def _parse_offset(text: str | None) -> timezone:
    if text is None or text in ("Z", "z"):
        return timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:])
    if hours > 23 or minutes > 59:
        raise ValueError(f"offset {text} is out of range")
    return timezone(sign * timedelta(hours=hours, minutes=minutes))

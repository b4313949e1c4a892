"""RFC 3339 date-times: parsing what servers send and formatting what we send.

RFC 3339 (section 5.6) requires a full date, a full time with seconds and an offset ("Z", "z"
or +hh:mm); "T", "t" or a space separate date and time. A date alone or a time without an offset
is not a date-time: it cannot say which instant, and so which DAG run, it means. That grammar is
all Airflow's servers send (Airflow 2 `...+00:00`, Airflow 3 `...Z`, with or without
microseconds), and all this module reads, from answers and from callers alike.

The text is checked here, by one pattern, and never left to `datetime.fromisoformat` alone: what
that reads changes with the Python version (3.11 added most of ISO 8601: `24:00`, week dates,
commas, offsets without a colon; 3.9 takes any character between date and time and a time
without seconds), and the same text must read as the same instant, or be refused, on every
Python the package supports. Once checked, the text is put in the one form every version's
`fromisoformat` reads alike (`YYYY-MM-DDTHH:MM:SS[.ffffff]+HH:MM`), which then checks the
calendar (no 31 November) in C.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

__all__ = ["format_datetime", "is_aware", "parse_datetime"]

_RFC3339 = re.compile(
    r"[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
    r"[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?P<second>[0-5][0-9]|60)(?P<fraction>\.[0-9]+)?"
    r"(?P<offset>[Zz]|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])",
    re.ASCII,
).fullmatch
_fromisoformat = datetime.fromisoformat


def parse_datetime(text: str) -> datetime:
    """Parse an RFC 3339 date-time into an aware datetime; raise ValueError when it is not one
    (TypeError when it is not text).

    Fractions beyond microseconds are cut, as `datetime` holds no more. A leap second (`:60`)
    reads as second 59 of the same minute (with its fraction), as the embedded server reads it:
    `datetime` cannot hold it, and no task runs in it.
    """
    # The forms servers send, `...:SS+00:00`, `...:SS.ffffff+00:00` and the same with "Z", go
    # straight to fromisoformat once their layout is checked: at these exact positions every
    # version reads the digits and checks their ranges alike, but for the offset's minutes
    # (+00:99 reads as +01:39), checked here. A few hundred nanoseconds instead of the pattern's
    # microseconds: answers hold many dates.
    canonical = text[:-1] + "+00:00" if text[-1:] == "Z" else text
    size = len(canonical)
    if (
        (size == 25 or (size == 32 and canonical[19] == "."))
        and canonical[4:17:3] == "--T::"
        and canonical[-6] in "+-"
        and canonical[-3] == ":"
        and canonical[-2] < "6"
    ):
        try:
            return _fromisoformat(canonical)
        except ValueError:
            pass  # a leap second, or not a date-time: the pattern says which, and why
    match = _RFC3339(text)
    if match is None:
        raise ValueError(_why_not(text))
    second, fraction, offset = match.group("second", "fraction", "offset")
    head = text[:10] + "T" + text[11:17] + ("59" if second == "60" else second)
    digits = (fraction or ".")[1:7].ljust(6, "0")
    zone = "+00:00" if offset in ("Z", "z") else offset
    return _fromisoformat(f"{head}.{digits}{zone}")


def _why_not(text: str) -> str:
    shown = repr(text) if len(text) <= 80 else repr(text[:77]) + "..."
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9:.]+", text, re.ASCII):
        return f"{shown} has no UTC offset"
    return f"{shown} is not an RFC 3339 date-time"


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

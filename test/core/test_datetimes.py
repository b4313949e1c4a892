"""One reading of date-times on every Python version: RFC 3339 with an offset, and nothing else.

`datetime.fromisoformat` reads more text from one Python version to the next (3.11 added `24:00`,
week dates, commas, offsets without a colon; 3.9 and 3.10 take any character between date and
time and times without seconds; dateutil, used on 3.9 and 3.10 before, read `24:00` as the next
day). The SDK's parser must read the same text as the same instant, or refuse it, whatever the
version. The tests compare it with a reference written here from the grammar of RFC 3339
(section 5.6) in plain Python arithmetic, which no version changes; `make test` runs them on
every supported version.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone
from typing import Optional

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from airflow_python_sdk import ApiValueError
from airflow_python_sdk._internal.datetimes import parse_datetime
from airflow_python_sdk._model_runtime.codec import answer_datetime
from airflow_python_sdk.model.task_instance import TaskInstance

_GRAMMAR = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[Tt ](\d\d):(\d\d):(\d\d)(?:\.(\d+))?(?:([Zz])|([+-])(\d\d):(\d\d))",
    re.ASCII,
)


def reference(text: str) -> Optional[datetime]:
    """The instant RFC 3339 text names, or None when it is not an RFC 3339 date-time.

    Leap seconds (:60) read as :59, fractions are cut to microseconds (what `datetime` holds).
    """
    match = _GRAMMAR.fullmatch(text)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, zulu, sign, offset_hours, offset_minutes = match.groups()[6:]
    if not (year >= 1 and 1 <= month <= 12 and hour <= 23 and minute <= 59 and second <= 60):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    offset = timedelta(0)
    if not zulu:
        if int(offset_hours) > 23 or int(offset_minutes) > 59:
            return None
        offset = timedelta(hours=int(offset_hours), minutes=int(offset_minutes))
        offset = -offset if sign == "-" else offset
    microsecond = int((fraction or "")[:6].ljust(6, "0"))
    return datetime(year, month, day, hour, minute, min(second, 59), microsecond,
                    tzinfo=timezone(offset))


def sdk_reading(text: str) -> Optional[datetime]:
    try:
        return parse_datetime(text)
    except ValueError:
        return None


def same(left: Optional[datetime], right: Optional[datetime]) -> bool:
    """The same instant and the same offset (both None: both refused)."""
    if left is None or right is None:
        return left is right
    return (left, left.utcoffset(), left.tzinfo is not None) == (
        right, right.utcoffset(), right.tzinfo is not None)


digits = st.integers(min_value=0, max_value=99).map(lambda n: f"{n:02d}")
fractions = st.one_of(
    st.just(""),
    st.integers(min_value=1, max_value=12).flatmap(
        lambda size: st.text("0123456789", min_size=size, max_size=size)).map(lambda d: "." + d),
    st.sampled_from([",5", ".", ".5a", ",123456"]),
)
zones = st.one_of(
    st.sampled_from(["Z", "z", "", "+00:00", "-00:00", "+0000", "+00", "+00:00:00", "UTC", " Z"]),
    st.tuples(st.sampled_from("+-"), digits, digits).map(lambda p: f"{p[0]}{p[1]}:{p[2]}"),
)
# Texts near the grammar: every part varied within and just outside its range, and the
# separators and spellings other ISO 8601 profiles (and other Python versions) accept.
near_rfc3339 = st.builds(
    lambda year, month, day, sep, hour, minute, second, fraction, zone: (
        f"{year}-{month}-{day}{sep}{hour}:{minute}{second}{fraction}{zone}"),
    # "\uff12026" has a full-width digit.
    st.sampled_from(["2026", "2024", "1900", "0001", "0000", "9999", "\uff12026"]),
    st.one_of(digits, st.just("1")),
    digits,
    st.sampled_from(["T", "t", " ", "_", "", "TT"]),
    digits,
    digits,
    st.one_of(digits.map(lambda s: ":" + s), st.just("")),
    fractions,
    zones,
)
other_iso8601 = st.sampled_from([
    "2026-11-26T24:00:00Z", "2026-11-26T24:00:00+00:00", "20261126T000000Z",
    "2026-W48-4T00:00:00+00:00", "2026-330T00:00:00+00:00", "2026-11-26T00:00Z",
    "2026-11-26T00:00:00.5", "2026-11-26", "2026-11-26T00:00:00+00:99", "2026-11-26T00:00:00\n",
    " 2026-11-26T00:00:00Z", "2026-11-26T00:00:00+00:00Z", "2026-11-26T00:00:0xZ",
])


@settings(max_examples=1500, derandomize=True, database=None, deadline=None)
@given(st.one_of(near_rfc3339, other_iso8601, st.text(max_size=40)))
@example("2026-11-26T24:00:00Z")  # refused on 3.11, read as 2026-11-27 by dateutil on 3.9
@example("2016-12-31T23:59:60Z")  # a leap second
@example("2026-11-26T00:00:00.1234567+00:00")
@example("2026-02-29T00:00:00+00:00")
def test_the_sdk_reads_exactly_what_rfc3339_says_on_this_python(text: str) -> None:
    expected = reference(text)
    read = sdk_reading(text)
    assert same(read, expected), f"{text!r}: read as {read!r}, RFC 3339 says {expected!r}"
    # Answers are read by the same rule.
    try:
        answered: Optional[datetime] = answer_datetime(text)
    except ValueError:
        answered = None
    assert same(answered, expected)


@settings(max_examples=300, derandomize=True, database=None, deadline=None)
@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30),
                    timezones=st.sampled_from([timezone.utc,
                                               timezone(timedelta(hours=-9, minutes=-30)),
                                               timezone(timedelta(hours=5, minutes=45))])),
       st.sampled_from(["T", "t", " "]), st.sampled_from([0, 1, 3, 6, 9]), st.booleans())
def test_every_spelling_of_an_instant_reads_as_that_instant(
    instant: datetime, separator: str, fraction_digits: int, zulu: bool
) -> None:
    text = instant.replace(tzinfo=None).isoformat(sep=separator, timespec="seconds")
    if fraction_digits:
        text += "." + f"{instant.microsecond:06d}000"[:fraction_digits]
    offset = instant.utcoffset()
    assert offset is not None
    if zulu and offset == timedelta(0):
        text += "Z"
    else:
        minutes = int(offset.total_seconds() // 60)
        text += f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    kept = int(f"{instant.microsecond:06d}"[:fraction_digits].ljust(6, "0") or 0)

    read = parse_datetime(text)

    assert read == instant.replace(microsecond=kept)
    assert read.utcoffset() == offset


@pytest.mark.parametrize("text", ["2026-11-26T24:00:00Z", "2026-11-26T00:00:00+0000",
                                  "2026-11-26T00:00Z", "20261126T000000Z"])
def test_an_answer_with_a_date_that_is_not_rfc3339_is_refused_naming_the_field(text: str) -> None:
    document = {"dag_id": "etl_daily", "task_id": "transform", "start_date": text}

    with pytest.raises(ApiValueError, match=r"start_date.*RFC 3339"):
        TaskInstance._from_json(document, True, False, ())

    # Unchecked (`_check_return_type=False`), the text is kept as the server sent it.
    unchecked = TaskInstance._from_json(dict(document), False, False, ())
    assert unchecked["start_date"] == text


def test_what_airflow_servers_send_reads_as_their_instant() -> None:
    utc = timezone.utc
    assert parse_datetime("2026-12-01T17:20:03.597680Z") == datetime(
        2026, 12, 1, 17, 20, 3, 597680, tzinfo=utc)  # Airflow 3
    assert parse_datetime("2026-11-26T00:00:00+00:00") == datetime(2026, 11, 26, tzinfo=utc)
    assert parse_datetime("2026-12-01T17:19:56.368000+00:00") == datetime(
        2026, 12, 1, 17, 19, 56, 368000, tzinfo=utc)  # Airflow 2


def test_text_that_is_not_a_date_time_is_refused_saying_why() -> None:
    with pytest.raises(ValueError, match="has no UTC offset"):
        parse_datetime("2026-11-26T00:00:00")
    with pytest.raises(ValueError, match="is not an RFC 3339 date-time"):
        parse_datetime("2026-11-26T24:00:00Z")
    with pytest.raises(TypeError):
        parse_datetime(20261126)  # type: ignore[arg-type]

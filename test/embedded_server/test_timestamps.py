"""Execution dates: every RFC 3339 spelling of an instant reads as the same aware UTC datetime."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_python_sdk.testing.timestamps import (
    InvalidTimestamp,
    UnrepresentableTimestamp,
    format_timestamp,
    parse_timestamp,
)

UTC = timezone.utc
offsets = st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
instants = st.datetimes(
    min_value=datetime(2, 1, 1), max_value=datetime(9998, 12, 31), timezones=st.just(UTC)
)


def _spell(instant: datetime, zone: timezone, separator: str, zulu: bool) -> str:
    local = instant.astimezone(zone)
    text = local.replace(tzinfo=None).isoformat(sep=separator)
    if zulu and local.utcoffset() == timedelta(0):
        return text + "Z"
    offset = local.strftime("%z")
    return text + offset[:3] + ":" + offset[3:]


@settings(max_examples=300, derandomize=True, database=None)
@given(instants, offsets, st.sampled_from(["T", "t", " "]), st.booleans())
def test_every_spelling_reads_as_the_same_instant(
    instant: datetime, zone: timezone, separator: str, zulu: bool
) -> None:
    parsed = parse_timestamp(_spell(instant, zone, separator, zulu))

    assert parsed == instant
    assert parsed.tzinfo == UTC
    assert parse_timestamp(format_timestamp(parsed)) == parsed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-26T00:00:00", datetime(2026, 11, 26, tzinfo=UTC)),  # no offset: UTC, as Airflow
        ("2026-11-26T00:00:00+0100", datetime(2026, 11, 25, 23, tzinfo=UTC)),
        ("2026-11-26T00:00:00.1234567Z", datetime(2026, 11, 26, 0, 0, 0, 123456, tzinfo=UTC)),
        ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),  # leap second
    ],
)
def test_lenient_spellings_airflow_also_takes(text: str, expected: datetime) -> None:
    assert parse_timestamp(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "yesterday", "2026-11-26", "2026-11-26T24:00:00Z", "2026-11-26T00:00:00+24:00",
     "2026-11-26T00:00Z", "2026-11-26T00:00:00 Z", "20261126T000000Z", "2026-11-26T00:00:00+1"],
)  # fmt: skip
def test_malformed_dates_are_refused(text: str) -> None:
    with pytest.raises(InvalidTimestamp):
        parse_timestamp(text)


def test_an_instant_before_year_one_is_well_formed_but_unrepresentable() -> None:
    with pytest.raises(UnrepresentableTimestamp):
        parse_timestamp("0001-01-01T00:00:00+01:00")

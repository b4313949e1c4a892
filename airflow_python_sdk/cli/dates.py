"""Reading execution dates from the command line, a file or stdin, strictly.

A date-time without a time zone is refused rather than guessed: Airflow stores execution dates in
UTC, and reading "2026-11-26T00:00:00" as local time would address the wrong run. A plain date
(2026-11-26) has no time to misread: it means midnight UTC, as Airflow's daily runs are dated.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import TextIO

from airflow_python_sdk._internal.datetimes import parse_datetime
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.input_lines import NumberedLines, read_lines, source_name
from airflow_python_sdk.cli.safe_text import cut, quoted

__all__ = ["parse_execution_date", "read_date_file", "read_date_lines"]

_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
)
_PLAIN_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A date and a time without a zone: said apart, so the message can say what is missing.
_NO_ZONE = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")
EXAMPLE = "2026-11-26T00:00:00+00:00"


def parse_execution_date(text: str, where: str = "") -> datetime:
    """An RFC 3339 date-time with a time zone, or a plain date (midnight UTC); UsageError naming
    `where` otherwise."""
    candidate = text.strip()
    prefix = f"{where}: " if where else ""
    if _PLAIN_DATE.fullmatch(candidate):
        try:
            day = datetime.strptime(candidate, "%Y-%m-%d")
        except ValueError as error:
            raise UsageError(f"{prefix}{quoted(text)} is not a valid date: {error}") from None
        return day.replace(tzinfo=timezone.utc)
    if _NO_ZONE.fullmatch(candidate):
        if len(candidate) == len("2026-11-26T00:00"):
            candidate += ":00"
        raise UsageError(
            f"{prefix}{quoted(text)} has no time zone: add one, e.g. {candidate}Z for UTC or "
            f"{candidate}+02:00 (a plain date such as {candidate[:10]} means midnight UTC)"
        )
    if not _RFC3339.fullmatch(candidate):
        raise UsageError(
            f"{prefix}{quoted(text)} is not an RFC 3339 date-time with a time zone "
            f"(e.g. {EXAMPLE}) or a plain date (2026-11-26, midnight UTC)"
        )
    try:
        # RFC 3339 allows a lower-case "t" and "z"; not every Python's parser does.
        parsed = parse_datetime(candidate.upper())
    except (ValueError, OverflowError) as error:
        raise UsageError(f"{prefix}{quoted(text)} is not a valid date-time: "
                         f"{cut(str(error))}") from None
    try:
        # Airflow keeps dates in UTC, and so does every comparison the command makes:
        # 0001-01-01T00:00:00+01:00 is a valid date-time that no UTC date can hold.
        parsed.astimezone(timezone.utc)
    except OverflowError:
        raise UsageError(f"{prefix}{quoted(text)} is out of range: in UTC it falls before "
                         "0001-01-01 or after 9999-12-31") from None
    return parsed


def read_date_lines(lines: NumberedLines, source: str) -> list[datetime]:
    """One date per line; blank lines and lines starting with # are skipped.

    Every line is checked before any is used, and all the bad ones are named at once, so a
    long list is fixed in one go instead of one error per run.
    """
    dates: list[datetime] = []
    problems: list[str] = []
    for number, line in lines:
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            dates.append(parse_execution_date(text, f"{source}, line {number}"))
        except UsageError as error:
            problems.append(str(error))
    if problems:
        shown = problems[:5]
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise UsageError("; ".join(shown) + more)
    return dates


def read_date_file(path: str, stdin: TextIO) -> list[datetime]:
    """The dates of a file, or of stdin when `path` is "-"."""
    return read_date_lines(read_lines(path, stdin), source_name(path))

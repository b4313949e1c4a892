"""Reading query parameters: each bad value is a 400 that names the parameter and the value."""

from __future__ import annotations

from datetime import datetime
from typing import Optional

from .problems import bad_request
from .timestamps import InvalidTimestamp, UnrepresentableTimestamp, parse_timestamp

Query = dict[str, list[str]]

# Airflow's maximum_page_limit: a larger limit is capped to it, not refused.
PAGE_CAP = 100


def last(query: Query, name: str) -> Optional[str]:
    values = query.get(name)
    return values[-1] if values else None


def integer(query: Query, name: str, minimum: int) -> Optional[int]:
    text = last(query, name)
    if text is None:
        return None
    try:
        number = int(text)
    except ValueError:
        raise bad_request(f"{name}: {text!r} is not an integer") from None
    if number < minimum:
        raise bad_request(f"{name}: {number} is less than {minimum}")
    return number


def number(query: Query, name: str) -> Optional[float]:
    text = last(query, name)
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise bad_request(f"{name}: {text!r} is not a number") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise bad_request(f"{name}: {text!r} is not a finite number")
    return value


def date_time(query: Query, name: str) -> Optional[datetime]:
    text = last(query, name)
    if text is None:
        return None
    try:
        return parse_timestamp(text)
    except (InvalidTimestamp, UnrepresentableTimestamp) as error:
        raise bad_request(f"{name}: {error}") from None


def choices(query: Query, name: str, allowed: frozenset[str]) -> Optional[set[str]]:
    """The values of a repeated (or comma-separated) parameter, each one of `allowed`."""
    if name not in query:
        return None
    # An empty value (`state=`, `state=failed,`) names no choice: refused, as the schema's enum
    # and Airflow refuse it, rather than read as a filter that matches nothing.
    values = {part for value in query[name] for part in value.split(",")}
    for value in values:
        if value not in allowed:
            raise bad_request(f"{name}: {value!r} is not one of {sorted(allowed)}")
    return values


def strings(query: Query, name: str) -> Optional[set[str]]:
    """The values of a repeated parameter, as sent (ids may hold commas)."""
    if name not in query:
        return None
    return set(query[name])


def page(query: Query) -> tuple[int, int]:
    """(limit, offset); a limit above the page cap is capped, as Airflow does."""
    limit = integer(query, "limit", 1)
    offset = integer(query, "offset", 0) or 0
    return min(limit or PAGE_CAP, PAGE_CAP), offset


def map_index(query: Query) -> int:
    index = integer(query, "map_index", -1)
    return -1 if index is None else index


def order(query: Query, allowed: tuple[str, ...]) -> tuple[Optional[str], bool]:
    """(field, descending) of `order_by`; (None, False) when absent."""
    text = last(query, "order_by")
    if not text:
        return None, False
    descending = text.startswith("-")
    name = text[1:] if descending else text
    if name not in allowed:
        raise bad_request(f"order_by: {text!r} names no field to order by; use one of "
                          f"{list(allowed)} (with '-' before it for descending order)")
    return name, descending


def boolean(query: Query, name: str, default: Optional[bool]) -> Optional[bool]:
    """A true/false parameter; `default` when absent. Given empty (`?paused=`) it is no boolean,
    a 400, as Airflow's schema check answers."""
    text = last(query, name)
    if text is None:
        return default
    lowered = text.lower()
    if lowered not in ("true", "false", "1", "0"):
        raise bad_request(f"{name}: {text!r} is not a boolean (true or false)")
    return lowered in ("true", "1")

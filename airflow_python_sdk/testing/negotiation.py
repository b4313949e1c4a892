"""The one content negotiation the API has: logs as JSON, or as plain text on request."""

from __future__ import annotations

from typing import Optional


def prefers_plain_text(accept: Optional[str]) -> bool:
    """True when the Accept header ranks text/plain above application/json.

    The generated client sends "application/json, text/plain", which keeps JSON; only a client
    that asks for text/plain alone (or ranks it higher) gets the log as text.
    """
    if not accept:
        return False
    ranges = [_parse_range(item) for item in accept.split(",") if item.strip()]
    return _quality(ranges, "text", "plain") > _quality(ranges, "application", "json")


def _parse_range(item: str) -> tuple[str, str, float]:
    media_range, *parameters = item.split(";")
    main, _, sub = media_range.strip().lower().partition("/")
    quality = 1.0
    for parameter in parameters:
        name, _, value = parameter.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(value)
            except ValueError:
                quality = 0.0
    return main, sub or "*", quality


def _quality(ranges: list[tuple[str, str, float]], main: str, sub: str) -> float:
    # The most specific matching range decides, as RFC 9110 section 12.5.1 says.
    best_specificity, best_quality = -1, 0.0
    for range_main, range_sub, quality in ranges:
        if range_main == main and range_sub == sub:
            specificity = 2
        elif range_main == main and range_sub == "*":
            specificity = 1
        elif range_main == "*" and range_sub == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_quality = specificity, quality
    return best_quality

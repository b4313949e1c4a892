"""The identities a page walk yielded last, remembered as one 64-bit hash each, in bounded memory.

An item comes again in a walk when the list moves under it: rows that moved down by an offset
come again on the next page, a retried task instance comes again at the end of its date, and
Airflow 2.10's task-instance list has no order at all. Remembering every identity a walk ever
yielded cost 77 bytes an item, 7.7 MB at 100,000 items; `RecentIdentities` remembers those of
the last `SPAN` items at least (forgotten once `2 * SPAN` and two pages more follow): 0.8 MB however
long the walk (measured in test/core/test_paging.py). It keeps two sets of hashes, the current
one and the one before; once the current one holds `SPAN`, it becomes the one before and the
oldest is dropped whole, which costs nothing per item.

The hash is Python's own over the identity's values (as the server sent them: a date-time as
its text) and a text drawn for each walk. Two different identities share a hash with odds of
about n^2 / 2^65 among the n remembered at once (3 in 10^12 for 10,100): the second is then taken
for the first and not yielded, which a walk with a `total_entries` reports as a count that does
not match.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import Any

__all__ = ["SPAN", "RecentIdentities"]

# How many of the last items yielded a walk remembers at least: 50 pages of 100.
SPAN = 5_000


class RecentIdentities:
    """The identities (tuples of an item's identity fields) of the items yielded last."""

    __slots__ = ("_before", "_current", "salt", "span")

    def __init__(self, span: int = SPAN) -> None:
        # Drawn for each walk, so that the walk's hashes are its own even where a process fixes
        # PYTHONHASHSEED (text hashes are otherwise keyed afresh in every process).
        self.salt = os.urandom(8).hex()
        self._current: set[int] = set()
        self._before: set[int] = set()
        self.span = span

    def __len__(self) -> int:
        return len(self._current) + len(self._before)

    def codes(self, identities: Iterable[tuple[Any, ...]]) -> list[int]:
        """The walk's hash of each identity."""
        salt = self.salt
        try:
            return [hash((salt, *values)) for values in identities]
        except TypeError:  # a server sent a list or an object where a name belongs
            return [hash((salt, *(_hashable(value) for value in values)))
                    for values in identities]

    def fresh(self, items: list[Any], codes: list[int]) -> list[Any]:
        """The items whose identity (by its hash in `codes`) is not remembered, in order, each
        once; they are remembered from now on. Called once a page: the oldest identities are
        forgotten between pages, never within one."""
        current = self._current
        before = self._before
        out = []
        for item, code in zip(items, codes):
            if code in current or code in before:
                continue
            current.add(code)
            out.append(item)
        if len(current) >= self.span:
            self._before = current
            self._current = set()
        return out

    def add(self, values: tuple[Any, ...]) -> bool:
        """Remember one identity; whether it is new (False: it is remembered already)."""
        return bool(self.fresh([values], self.codes([values])))


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return ("unhashable", repr(value))  # never equal to the text of its repr
    return value

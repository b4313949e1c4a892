"""The identities a page walk has yielded, remembered as one 64-bit hash each.

A walk must never yield an item twice, wherever the item comes again: on the next page (rows
that moved down), on a page long after (Airflow 2.10's task-instance list has no order, so a task
instance whose state changes can move to any page), or many times on one page. Keeping the items,
or their identity tuples, would cost hundreds of bytes per item; `SeenIdentities` keeps a set of
the identities' hashes: a Python int (32 bytes) and its slot in the set (16 to 64 bytes), about
77 bytes per item (7.7 MB for 100,000 items, 9 MB at the peak of the set's last resize; measured
in test/core/test_paging.py). A table of raw 8-byte hashes would take a quarter of that, but
probing it in Python costs 2 to 5 microseconds an item, half of what reading the item costs;
adding to a set costs 0.4.

The hash is Python's own over the identity's values and a text drawn for each walk: equal
identities (01:00+01:00 and 00:00Z are one instant) always hash alike, so no item is ever
yielded twice. Two different identities share a hash with odds of about n^2 / 2^65 (3 in 10^10
for 100,000 items): the second is then taken for the first and not yielded, which a walk with a
`total_entries` reports as a count that does not match.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["SeenIdentities"]


class SeenIdentities:
    """A set of identities (tuples of an item's identity fields), one hash each."""

    __slots__ = ("_hashes", "_salt")

    def __init__(self) -> None:
        # Drawn for each walk, so that the walk's hashes are its own even where a process fixes
        # PYTHONHASHSEED (text hashes are otherwise keyed afresh in every process).
        self._salt = os.urandom(8).hex()
        self._hashes: set[int] = set()

    def __len__(self) -> int:
        return len(self._hashes)

    def add(self, values: tuple[Any, ...]) -> bool:
        """Remember the identity; whether it is new (False: it was seen before)."""
        try:
            code = hash((self._salt, *values))
        except TypeError:  # a server sent a list or an object where a name belongs
            code = hash((self._salt, *(_hashable(value) for value in values)))
        hashes = self._hashes
        if code in hashes:
            return False
        hashes.add(code)
        return True


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return ("unhashable", repr(value))  # never equal to the text of its repr
    return value

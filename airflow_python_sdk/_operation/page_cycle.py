"""Pages that come round again, found in constant memory, for a walk that remembers only the
identities it yielded last (identities.py).

A server whose pages cycle over more items than the walk remembers would send items the walk
has forgotten for ever. Such a server sends, sooner or later, a page it sent before: the same
identities in the same order. `PageCycle` finds that with Brent's cycle detection over a
fingerprint of each page: it keeps one earlier page's fingerprint, taken at pages 1, 2, 4, 8, ...,
and a sequence of pages that repeats with a period of p pages after the first m is found within
about 2 * (m + p) pages. A list that does not change never sends the same identities twice, so
a repeat found this way always means the list moved (or the server cycles).
"""

from __future__ import annotations

from typing import Optional

__all__ = ["PageCycle"]


class PageCycle:
    """The earlier page a page repeats, if any; fed each page's identity hashes in turn."""

    __slots__ = ("_kept", "_kept_page", "_page", "_power", "_since")

    def __init__(self) -> None:
        self._kept: Optional[int] = None  # the fingerprint of page `_kept_page`
        self._kept_page = 0
        self._page = 0
        self._power = 1
        self._since = 0

    def repeats(self, codes: list[int]) -> int:
        """The number of the earlier page whose identities this page's are, in order; 0 when it
        is not the page kept for comparison."""
        self._page += 1
        fingerprint = hash((len(codes), *codes))
        if fingerprint == self._kept:
            return self._kept_page
        self._since += 1
        if self._since == self._power:  # keep this page for the next 2 * power pages
            self._kept = fingerprint
            self._kept_page = self._page
            self._power *= 2
            self._since = 0
        return 0

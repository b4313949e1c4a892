"""Where a page walk stands, for the dialects that can walk by cursor.

The generated page function of an `iter_...` method calls the spec's list operation with `limit`
and `offset`: the spec knows nothing of cursors, so its signature cannot carry one. Airflow 3.3
lists task instances and DAG runs by keyset cursor (`cursor`, answered with `next_cursor`),
which a list that changes while it is walked cannot cut short or double. So while a walk asks
for a page, it sets a `PagePosition` in a context variable (`asking`); a dialect that can send a
cursor reads it (`current_page_position`), sends the cursor instead of the offset, and writes
back what the answer said (`PagePosition.read`). Any other call, and any other dialect, sees
None and sends the offset as given.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from typing import Any, Optional

from airflow_python_sdk._operation.tokens import checked_token

__all__ = ["PagePosition", "asking", "current_page_position"]


class PagePosition:
    """What a walk asks of one page beyond limit and offset, and what the answer said.

    `cursor`: the cursor to send ("" asks a server that can walk by cursor to begin doing so),
    or None to walk by offset. After the call: `by_cursor` whether the server walked by cursor,
    `next_cursor` the cursor of the next page (None: there is none), `total_is_exact` whether its
    `total_entries` is a count rather than a floor (cursor answers cap it).
    """

    __slots__ = ("by_cursor", "cursor", "next_cursor", "total_is_exact")

    def __init__(self, cursor: Optional[str]) -> None:
        self.cursor = cursor
        self.by_cursor = False
        self.next_cursor: Optional[str] = None
        self.total_is_exact = True

    def read(self, document: Any) -> None:
        """Take what a list answer says of cursors: a next cursor, or a capped total (Airflow
        3.3 answers `total_entries_limit` when walking by cursor, null when by offset)."""
        if self.cursor is None or not isinstance(document, Mapping):
            return
        following = document.get("next_cursor")
        cap = document.get("total_entries_limit")
        self.by_cursor = bool(following and isinstance(following, str)) or (
            isinstance(cap, int) and not isinstance(cap, bool))
        if not self.by_cursor:
            return
        self.next_cursor = checked_token(following, "next_cursor") if following else None
        total = document.get("total_entries")
        self.total_is_exact = not isinstance(cap, int) or (isinstance(total, int) and total < cap)


_ASKING: ContextVar[Optional[PagePosition]] = ContextVar("airflow_sdk_page_position",
                                                         default=None)


@contextlib.contextmanager
def asking(position: PagePosition) -> Iterator[PagePosition]:
    """Make `position` the one the calls inside the block see (the walk's one call)."""
    token = _ASKING.set(position)
    try:
        yield position
    finally:
        _ASKING.reset(token)


def current_page_position() -> Optional[PagePosition]:
    """The position of the page being asked for, inside a walk's call; None anywhere else."""
    return _ASKING.get()

"""Walking every page of a list operation, for the generated `iter_...` companions.

What a walk guarantees (README.md, "Other behaviour worth knowing", says the same; each sentence
has its test in test/core/test_paging.py, and over sockets in test/reliability/test_pagers.py):

1. Pages are fetched one at a time as the items are consumed, each asking for at most
   `page_size` items (100 at most); no page is kept once its items are yielded. Each item is
   checked and read as a model when it is first used, not with its page.
2. No item is yielded twice while the walk remembers it, wherever it comes again (on a later
   page, or several times on one page): the walk remembers a 64-bit hash of the identity of
   each item it yielded until at least 5,000 other items have been yielded after it, and
   forgets it by the time 10,000 and two pages more have been, so its memory stays the same
   however long the list (about 0.8 MB); it skips an item whose identity it remembers. An item
   that comes again later than that, in a list that moved that far under the walk, is yielded
   again. The identity is the identity fields as the server sent them (a date-time as its text).
   An item whose identity hashes like another's is taken for it (odds of about 3 in 10^12 among
   10,000).
3. The walk ends, whatever the server answers, but for a server that sends, without a total,
   ever more full pages of items the walk no longer remembers in an order that never repeats
   (which it takes for an endless list). It ends after an empty page, after a page shorter than
   asked for when the server reports no total, once the server's total is reached, or when a
   server walking by cursor gives no next cursor. A page that brings no item not yet yielded
   (of those remembered) ends it with `PagesChangedException` (a server that ignores the offset
   or the cursor, pages that cycle): against a server that sends the same page again and again,
   after 2 requests. A page that holds the items of an earlier page in the same order ends it
   too, however long before that page came (pages that cycle over more items than the walk
   remembers: found within about twice as many pages as the cycle and those before it).
4. A page holding more items than the limit asked for is the server's error:
   `ResponseValueError`, raised before its items are read as models.
5. Walking by offset (the draft, Airflow 2, Airflow 3 before 3.3 and its batch POST), every item
   the server counted in `total_entries` is yielded once, or `PagesChangedException` says what
   changed: the total changed between pages, or the walk ended with another number of items
   than the total. An item that moved further than the walk remembers (guarantee 2) is yielded
   again, and the item it displaced missed, without error.
6. Walking by cursor (Airflow 3.3 and later, lists of task instances and DAG runs): every item
   that is on the list for the whole walk and keeps its place in the order is yielded once,
   whatever is added or removed meanwhile; items added or removed during the walk may or may not
   be yielded, and a total that changes is no error. When the total stayed the same on every page
   and is exact (not capped), a walk that yields another number of items raises
   `PagesChangedException`.
7. `PagesChangedException` is an `ApiException` with status 409 and a parsed problem (`error`),
   so `str(e)` reads "409 Pages changed: <iter_...>: the list changed while its pages were read:
   <what changed>".
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Callable, Optional

from airflow_python_sdk._errors import ApiValueError, PagesChangedException, ResponseValueError
from airflow_python_sdk._model_runtime import (
    Model,
    answer_hashes,
    answer_values,
    items_read_when_used,
)
from airflow_python_sdk._operation.identities import RecentIdentities
from airflow_python_sdk._operation.page_cycle import PageCycle
from airflow_python_sdk._operation.page_position import PagePosition, asking

__all__ = ["PAGE_SIZE", "PagesChangedException", "check_page_items", "iterate_pages",
           "pages_changed"]

# Airflow's default and maximum page size (its `maximum_page_limit`): a larger limit is capped.
PAGE_SIZE = 100


def iterate_pages(
    fetch: Callable[[int, int], Any],
    *,
    operation: str,
    items: str,
    identity: Sequence[str],
    page_size: int = PAGE_SIZE,
) -> Iterator[Any]:
    """Every item of the list `fetch(limit, offset)` pages through, one page in memory at a time.

    `items` names the page's field holding its items, `identity` the item fields that tell two
    items apart. Pages are fetched as the iterator is consumed, not before.
    """
    if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
        raise ApiValueError(
            f"Invalid value for `page_size` of {operation}(): {page_size!r}; give a whole "
            f"number from 1 to {PAGE_SIZE}",
            path_to_item=(operation, "page_size"),
        )
    walk = _Walk(fetch, operation, items, tuple(identity), min(page_size, PAGE_SIZE))
    # The walk hands over a page's new items at once; chain yields them one by one without
    # resuming the walk for each (a tenth of a microsecond an item).
    return itertools.chain.from_iterable(walk.pages())


def pages_changed(operation: str, detail: str, *, expected: Optional[int],
                  yielded: int) -> PagesChangedException:
    """The exception that ends a walk, with its problem parsed as every status error's is."""
    from airflow_python_sdk.model.error import Error  # a walk that ends so only: imported then

    problem = {"type": "about:blank",
               "title": f"{operation}: the list changed while its pages were read",
               "status": 409, "detail": detail}
    return PagesChangedException(operation, detail, expected=expected, yielded=yielded,
                                 error=Error.from_dict(problem, _check_type=False))


def check_page_items(document: Any, limit: Any) -> None:
    """`ApiValueError` when a list answer holds more items than the `limit` its request asked
    for: checked on the parsed answer, before its items become models (a 1 MB page of 300,000
    empty objects would cost 80 MB as models)."""
    if not isinstance(document, Mapping) or isinstance(limit, bool) or not isinstance(limit, int):
        return
    for field, value in document.items():
        if isinstance(value, list) and len(value) > limit:
            raise ApiValueError(
                f"the page holds {len(value)} items in `{field}`, more than the limit of {limit} "
                "the request asked for", path_to_item=[str(field)])


class _Walk:
    """One walk's state: what it yielded, where it stands, what the server said."""

    def __init__(self, fetch: Callable[[int, int], Any], operation: str, items: str,
                 identity: tuple[str, ...], limit: int) -> None:
        self.fetch = fetch
        self.operation = operation
        self.field = items
        self.identity = identity
        self.limit = limit
        self.seen = RecentIdentities()
        self.cycle = PageCycle()
        self.yielded = 0
        self.requests = 0
        self.expected: Optional[int] = None  # the first page's total
        self.total_changed = False

    def pages(self) -> Iterator[list[Any]]:
        """The new items of each page in turn, each page asked for once the one before is
        consumed."""
        offset = 0
        cursor: Optional[str] = ""  # "" asks a server that can walk by cursor to do so
        by_cursor = False
        while True:
            position = PagePosition(cursor)
            with asking(position), items_read_when_used():
                page = self.fetch(self.limit, offset)
            self.requests += 1
            found = list(page.get(self.field) or ())
            total = page.get("total_entries")
            del page  # its items are in `found`: nothing else of it is kept
            if len(found) > self.limit:
                # Reached only when the page did not come through a dialect, which checks it.
                raise ResponseValueError(
                    f"the page holds {len(found)} items in `{self.field}`, more than the limit "
                    f"of {self.limit} the request asked for", status=200, body=None)
            if self.requests == 1:
                by_cursor = position.by_cursor
            self._take_total(total, by_cursor, offset)
            codes = _codes(found, self.identity, self.seen)
            repeated = self.cycle.repeats(codes)
            new = self.seen.fresh(found, codes)
            offset += len(found)
            ended = self._ended(found, offset, by_cursor, position)
            # Dropped here and after the yield: while the caller reads a page's new items and
            # the next page is fetched, the walk itself holds no page (flat memory).
            del found, codes
            if repeated and new:
                raise self._cycled(repeated)
            if new:
                yield new
            self.yielded += len(new)
            if ended:
                break
            if not new:
                raise self._nothing_new(by_cursor)
            del new
            cursor = position.next_cursor if by_cursor else None
        self._check_count(by_cursor and not position.total_is_exact)

    def _take_total(self, total: Any, by_cursor: bool, offset: int) -> None:
        if self.requests == 1:
            self.expected = total
            return
        if total is None or total == self.expected:
            return
        self.total_changed = True
        if not by_cursor:  # walking by cursor, items added or removed cut nothing short
            raise pages_changed(
                self.operation,
                f"the server reported {self.expected} items at first and {total} at offset "
                f"{offset}: items were added or removed while paging ({self.yielded} yielded)",
                expected=self.expected, yielded=self.yielded)

    def _ended(self, found: list[Any], offset: int, by_cursor: bool,
               position: PagePosition) -> bool:
        if not found:
            return True
        if by_cursor:
            return position.next_cursor is None
        if self.expected is not None:
            return offset >= self.expected
        return len(found) < self.limit  # no total: a short page is the last one

    def _nothing_new(self, by_cursor: bool) -> PagesChangedException:
        how = "the cursor" if by_cursor else "the offset"
        return self._stopped(f"page {self.requests} brought no item that was not yielded "
                             f"already: the server ignores {how}, or its list moved under the walk")

    def _cycled(self, earlier: int) -> PagesChangedException:
        return self._stopped(f"page {self.requests} holds the items of page {earlier} again, in "
                             f"the same order: the server's pages cycle, or its list moved under "
                             f"the walk")

    def _stopped(self, why: str) -> PagesChangedException:
        return pages_changed(
            self.operation,
            f"{why}; stopped after {self.requests} requests ({self.yielded} yielded)",
            expected=self.expected, yielded=self.yielded)

    def _check_count(self, total_is_a_floor: bool) -> None:
        expected = self.expected
        if expected is None or self.yielded == expected or total_is_a_floor or (
                self.total_changed):
            return
        raise pages_changed(
            self.operation,
            f"the server reported {expected} items but {self.yielded} could be read: items "
            "moved or vanished while paging (order by a field that does not change, e.g. "
            "execution_date, or retry)",
            expected=expected, yielded=self.yielded)


def _codes(items: list[Any], names: tuple[str, ...], seen: RecentIdentities) -> list[int]:
    """The walk's hash of each item's identity: its fields as the server sent them (a date-time
    as its text)."""
    if all(issubclass(kind, Model) for kind in {item.__class__ for item in items}):
        # Read as held, in one pass: reading a date-time from the model would decode it first.
        try:
            return answer_hashes(items, names, seen.salt)
        except TypeError:  # a list or an object where a name belongs
            return seen.codes(answer_values(items, names))
    return seen.codes([tuple(map(item.get, names)) if hasattr(item, "get")  # dicts
                       else tuple(getattr(item, name, None) for name in names)
                       for item in items])

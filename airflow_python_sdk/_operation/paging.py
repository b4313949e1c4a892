"""Walking every page of a list operation, for the generated `iter_...` companions.

`iterate_pages` asks for one page at a time (limit/offset within the server's page cap), yields
its items and forgets the page: memory stays flat whatever the number of items. It yields every
item the server reported in `total_entries`, or raises `PagesChangedException` saying what changed
while it walked. Items seen on the page before that come again (rows that moved down while
paging) are dropped; rows that moved up past the walk leave a gap, which is reported, never
silently skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, Callable, Optional

from airflow_python_sdk._errors import ApiValueError, PagesChangedException

__all__ = ["PAGE_SIZE", "PagesChangedException", "iterate_pages"]

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
    return _walk(fetch, operation, items, tuple(identity), min(page_size, PAGE_SIZE))


def _walk(fetch: Callable[[int, int], Any], operation: str, items: str,
          identity: tuple[str, ...], limit: int) -> Iterator[Any]:
    expected: Optional[int] = None
    offset = yielded = 0
    previous: set[tuple[Any, ...]] = set()  # the identities of the last page only
    while True:
        page = fetch(limit, offset)
        found = list(page.get(items) or ())
        total = page.get("total_entries")
        if expected is None:
            expected = total
        elif total is not None and total != expected:
            raise PagesChangedException(
                operation,
                f"the server reported {expected} items at first and {total} at offset "
                f"{offset}: items were added or removed while paging ({yielded} yielded)",
                expected=expected, yielded=yielded)
        current = set()
        for item in found:
            key = tuple(_field(item, name) for name in identity)
            current.add(key)
            if key in previous:
                continue  # seen on the page before: it moved down while paging
            yielded += 1
            yield item
        previous = current
        offset += len(found)
        if not found or (expected is not None and offset >= expected):
            break
        if expected is None and len(found) < limit:
            break  # a server that reports no total: a short page is the last one
    if expected is not None and yielded != expected:
        raise PagesChangedException(
            operation,
            f"the server reported {expected} items but {yielded} could be read: items moved "
            "or vanished while paging (order by a field that does not change, e.g. "
            "execution_date, or retry)",
            expected=expected, yielded=yielded)


def _field(item: Any, name: str) -> Any:
    value = item.get(name) if hasattr(item, "get") else getattr(item, name, None)
    # Enum members and date-times hash by value; anything unhashable is compared as text.
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value

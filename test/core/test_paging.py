"""The pager's logic, one layer alone: pages come from a plain function standing in for a list
operation (the proof over HTTP is in test/embedded_server/test_task_instance_family.py)."""

from __future__ import annotations

import gc
import weakref
from typing import Any, Optional

import pytest

from airflow_python_sdk._operation.paging import PAGE_SIZE, PagesChangedException, iterate_pages
from airflow_python_sdk.exceptions import ApiException, ApiValueError


class Page:
    """A collection answer: its items and total, readable with .get() as models are."""

    def __init__(self, items: list[dict[str, Any]], total: Optional[int]) -> None:
        self.fields = {"things": items, "total_entries": total}

    def get(self, name: str) -> Any:
        return self.fields.get(name)


class Server:
    """A list on a server that answers limit/offset pages of it, capping the limit."""

    def __init__(self, count: int, cap: int = PAGE_SIZE, total: bool = True) -> None:
        self.rows = [{"id": n} for n in range(count)]
        self.cap = cap
        self.total = total
        self.asked: list[tuple[int, int]] = []
        self.pages: list[weakref.ref[Page]] = []

    def __call__(self, limit: int, offset: int) -> Page:
        self.asked.append((limit, offset))
        limit = min(limit, self.cap)
        page = Page(self.rows[offset : offset + limit], len(self.rows) if self.total else None)
        self.pages.append(weakref.ref(page))
        return page


def walk(server: Server, page_size: int = PAGE_SIZE) -> Any:
    return iterate_pages(server, operation="iter_things", items="things", identity=("id",),
                         page_size=page_size)


def test_every_item_of_every_page_once_in_order() -> None:
    server = Server(250)
    assert [row["id"] for row in walk(server)] == list(range(250))
    assert server.asked == [(100, 0), (100, 100), (100, 200)]


def test_pages_are_fetched_only_as_items_are_consumed() -> None:
    server = Server(250)
    items = walk(server, page_size=100)
    assert server.asked == []
    next(items)
    assert server.asked == [(100, 0)]


def test_an_exact_multiple_of_the_page_size_asks_for_no_empty_page() -> None:
    server = Server(200)
    assert len(list(walk(server))) == 200
    assert server.asked == [(100, 0), (100, 100)]


def test_an_empty_list_is_one_request() -> None:
    server = Server(0)
    assert list(walk(server)) == []
    assert server.asked == [(100, 0)]


def test_a_page_size_above_the_cap_is_asked_as_the_cap() -> None:
    server = Server(150)
    assert len(list(walk(server, page_size=1000))) == 150
    assert server.asked == [(100, 0), (100, 100)]


def test_a_server_cap_below_the_page_size_still_yields_everything() -> None:
    server = Server(25, cap=10)
    assert [row["id"] for row in walk(server)] == list(range(25))
    assert [offset for _, offset in server.asked] == [0, 10, 20]


def test_a_server_without_totals_stops_at_a_short_page() -> None:
    server = Server(25, total=False)
    assert len(list(walk(server, page_size=10))) == 25
    assert [offset for _, offset in server.asked] == [0, 10, 20]


def test_pages_are_not_kept_while_walking() -> None:
    server = Server(500)
    items = walk(server)
    for _ in range(450):
        next(items)
    gc.collect()
    alive = [ref for ref in server.pages if ref() is not None]
    # At most the page being read (and the one whose identities the walk keeps) is alive.
    assert len(server.pages) == 5 and len(alive) <= 1


def test_a_row_that_moved_down_is_not_yielded_twice_and_the_gap_is_reported() -> None:
    server = Server(30)
    items = walk(server, page_size=10)
    yielded = [next(items)["id"] for _ in range(10)]
    # Row 5, already yielded, moves to the second page; row 10 slides back onto the first.
    server.rows.insert(10, server.rows.pop(5))

    with pytest.raises(PagesChangedException) as caught:
        for item in items:
            yielded.append(item["id"])

    assert len(yielded) == len(set(yielded)) == 29  # 5 once, 10 missed
    assert 10 not in yielded
    assert caught.value.expected == 30 and caught.value.yielded == 29
    assert "30 items but 29" in str(caught.value)


def test_a_total_that_changes_while_paging_raises_saying_so() -> None:
    server = Server(150)
    items = walk(server)
    for _ in range(100):
        next(items)
    server.rows.append({"id": 150})

    with pytest.raises(PagesChangedException) as caught:
        list(items)
    assert isinstance(caught.value, ApiException)
    assert "150" in str(caught.value) and "151" in str(caught.value)
    assert caught.value.yielded == 100


@pytest.mark.parametrize("page_size", [0, -1, 1.5, True, "100"])
def test_a_bad_page_size_is_refused_naming_it(page_size: Any) -> None:
    with pytest.raises(ApiValueError) as caught:
        walk(Server(1), page_size=page_size)
    assert "page_size" in str(caught.value) and repr(page_size) in str(caught.value)

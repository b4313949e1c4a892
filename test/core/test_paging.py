"""The pager's logic, one layer alone: pages come from a plain function standing in for a list
operation (the proof over HTTP is in test/embedded_server/test_task_instance_family.py)."""

from __future__ import annotations

import gc
import tracemalloc
import weakref
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Optional

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from airflow_python_sdk._operation.identities import SPAN, RecentIdentities
from airflow_python_sdk._operation.page_position import PagePosition, current_page_position
from airflow_python_sdk._operation.paging import PAGE_SIZE, PagesChangedException, iterate_pages
from airflow_python_sdk._operation.tokens import LONGEST_TOKEN
from airflow_python_sdk.exceptions import ApiException, ApiValueError, ResponseValueError


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


# -- the walk ends, whatever the server answers (guarantee 3) --------------------------------------

class Scripted:
    """A server that answers request n with `pages[n % len(pages)]`: ids and a total."""

    def __init__(self, pages: list[tuple[list[int], Optional[int]]]) -> None:
        self.pages = pages
        self.asked: list[tuple[int, int]] = []

    def __call__(self, limit: int, offset: int) -> Page:
        ids, total = self.pages[len(self.asked) % len(self.pages)]
        self.asked.append((limit, offset))
        return Page([{"id": n} for n in ids], total)


@pytest.mark.parametrize("total", [None, 10**9])
def test_a_server_that_repeats_its_page_ends_the_walk_after_two_requests(
        total: Optional[int]) -> None:
    server = Scripted([(list(range(100)), total)])
    yielded: list[int] = []
    with pytest.raises(PagesChangedException) as caught:
        for row in walk(server):  # type: ignore[arg-type]
            yielded.append(row["id"])
    assert len(server.asked) == 2
    assert yielded == list(range(100))
    assert "page 2 brought no item that was not yielded already" in str(caught.value)


@settings(max_examples=300, deadline=None)
@given(pages=st.lists(st.tuples(st.lists(st.integers(0, 300), max_size=120),
                                st.one_of(st.none(), st.integers(0, 10**12))),
                      min_size=1, max_size=8),
       page_size=st.integers(1, 100))
def test_any_server_ends_the_walk_yields_nothing_twice_and_never_more_than_it_counted(
        pages: list[tuple[list[int], Optional[int]]], page_size: int) -> None:
    server = Scripted(pages)
    yielded: list[int] = []
    error: Optional[BaseException] = None
    try:
        for row in walk(server, page_size=page_size):  # type: ignore[arg-type]
            yielded.append(row["id"])
    except (PagesChangedException, ResponseValueError) as raised:
        error = raised
    distinct = {n for ids, _ in pages for n in ids}
    # Every request but the last brought at least one new item.
    assert len(server.asked) <= len(distinct) + 1
    assert len(yielded) == len(set(yielded))
    totals = {total for _, total in pages[:len(server.asked)]}
    if error is None and len(totals) == 1 and None not in totals:
        assert len(yielded) == totals.pop()  # guarantee 5: every counted item, or an error


# -- no item twice, within a stated memory (guarantee 2) -------------------------------------------

def test_an_item_seen_pages_before_or_many_times_on_one_page_is_yielded_once() -> None:
    server = Scripted([([1] * 10, None), ([2, 3, 4, 5, 6, 7, 8, 9, 10, 11], None),
                       ([12, 1, 2], None)])
    assert [row["id"] for row in walk(server, page_size=10)] == list(range(1, 13))  # type: ignore[arg-type]


def test_the_walk_remembers_the_last_items_it_yielded_in_bounded_memory() -> None:
    seen = RecentIdentities()
    when = datetime(2026, 11, 26, tzinfo=timezone.utc)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for first in range(0, 100_000, 100):  # pages of 100
            identities = [("etl", "run", f"task{n}", when, -1) for n in range(first, first + 100)]
            assert len(seen.fresh(identities, seen.codes(identities))) == 100
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert SPAN <= len(seen) <= 2 * SPAN + 100
    assert held < 1_000_000, held  # two sets of 5,000 hashes at most
    # The last SPAN items are remembered (the same instant at another offset is the same item);
    # those before 2 * SPAN + a page are not.
    assert not seen.add(("etl", "run", f"task{100_000 - SPAN}",
                         when.astimezone(timezone(timedelta(hours=1))), -1))
    assert seen.add(("etl", "run", f"task{100_000 - 2 * SPAN - 200}", when, -1))


@pytest.mark.parametrize("count", [10_000, 100_000])
def test_a_walk_keeps_its_last_identities_and_one_page_however_long(count: int) -> None:
    server = Server(count)
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        walked = sum(1 for _ in walk(server))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert walked == count
    # At most 10,100 identities' hashes in two sets (0.84 MB, more while a set resizes), one
    # page of 100 dicts, the walk's few objects: measured 1.65 MB at 10,000 items and 1.83 MB
    # at 100,000 (9.3 MB at 100,000 when every identity was kept).
    assert peak < 2_200_000, peak


def test_an_item_that_comes_again_within_the_span_is_skipped_and_later_yielded_again() -> None:
    # The guarantee as stated: an item is skipped when it comes again while the walk remembers
    # it (at least the last SPAN items yielded); one that comes again after more than
    # 2 * SPAN + a page of other items is yielded again.
    near = [*range(100), *range(100, 199), 50]  # item 50 again on the second page
    far_away = 2 * SPAN + 200
    far = [*range(far_away), 7]
    for ids, twice in ((near, False), (far, True)):
        pages = [(ids[start:start + 100], None) for start in range(0, len(ids), 100)]
        pages.append(([], None))
        yielded = [row["id"] for row in walk(Scripted(pages))]  # type: ignore[arg-type]
        assert (len(yielded) - len(set(yielded)) == 1) is twice
        assert set(yielded) == set(ids)


def test_pages_that_cycle_over_more_items_than_remembered_still_end_the_walk() -> None:
    # 101 pages of 100 new items each, then the same 101 pages again, for ever, without a total:
    # the walk has forgotten the first pages by the time they come again.
    pages = [(list(range(start, start + 100)), None) for start in range(0, 10_100, 100)]
    server = Scripted(pages)  # type: ignore[arg-type]
    yielded: list[int] = []
    with pytest.raises(PagesChangedException) as caught:
        for row in walk(server):  # type: ignore[arg-type]
            yielded.append(row["id"])
    assert "in the same order: the server's pages cycle" in str(caught.value)
    assert len(server.asked) < 4 * len(pages)  # found within 2 * (start + period) pages
    assert set(yielded) == set(range(10_100))


def test_identities_are_told_apart_by_kind_and_by_where_text_ends() -> None:
    seen = RecentIdentities()
    assert seen.add(("a\x00b", "c")) and seen.add(("a", "b\x00c"))
    assert seen.add((1,)) and seen.add(("1",)) and seen.add((None,))
    assert seen.add(("\ud800",))  # a lone surrogate from JSON is an identity too
    assert seen.add(([1],)) and seen.add(("[1]",))  # a list where a name belongs
    assert not seen.add(("a", "b\x00c")) and not seen.add(([1],))


# -- a page larger than asked for (guarantee 4) ----------------------------------------------------

def test_a_page_with_more_items_than_the_limit_is_the_servers_error() -> None:
    server = Scripted([(list(range(11)), 11)])
    with pytest.raises(ResponseValueError) as caught:
        list(walk(server, page_size=10))  # type: ignore[arg-type]
    assert "holds 11 items in `things`, more than the limit of 10" in str(caught.value)


# -- walking by cursor (guarantee 6) ---------------------------------------------------------------

class CursorServer:
    """A list read by cursor as a dialect reads Airflow 3.3's: the position of the page being
    asked for comes from the walk, what the answer says of cursors goes back to it."""

    def __init__(self, count: int, *, cap: Optional[int] = None, aware: bool = True) -> None:
        self.rows = [{"id": n} for n in range(count)]
        self.cap = cap
        self.aware = aware
        self.cursors: list[Optional[str]] = []
        self.after_page: Any = None

    def __call__(self, limit: int, offset: int) -> Page:
        position = current_page_position()
        assert position is not None
        self.cursors.append(position.cursor)
        if not self.aware or position.cursor is None:
            found = self.rows[offset:offset + limit]
            document = {"things": found, "total_entries": len(self.rows)}
        else:
            start = 0 if not position.cursor else int(position.cursor) + 1
            after = [row for row in self.rows if row["id"] >= start]
            found = after[:limit]
            total = len(self.rows) if self.cap is None else min(len(self.rows), self.cap)
            document = {"things": found, "total_entries": total,
                        "total_entries_limit": self.cap or 50_000,
                        "next_cursor": str(found[-1]["id"]) if len(after) > limit else None}
        position.read(document)
        if self.after_page is not None:
            self.after_page(self)
        return Page(found, document["total_entries"])


def test_a_server_that_answers_with_cursors_is_walked_by_cursor() -> None:
    server = CursorServer(250)
    assert [row["id"] for row in walk(server)] == list(range(250))  # type: ignore[arg-type]
    assert server.cursors == ["", "99", "199"]


def test_a_server_that_ignores_the_cursor_is_walked_by_offset() -> None:
    server = CursorServer(250, aware=False)
    assert [row["id"] for row in walk(server)] == list(range(250))  # type: ignore[arg-type]
    assert server.cursors == ["", None, None]


def test_by_cursor_a_total_that_changes_is_no_error() -> None:
    server = CursorServer(250)
    server.after_page = lambda s: s.rows.insert(0, {"id": -len(s.cursors)})  # behind the cursor
    assert [row["id"] for row in walk(server)] == list(range(250))  # type: ignore[arg-type]


def test_by_cursor_a_stable_exact_total_that_is_not_reached_is_reported() -> None:
    server = CursorServer(250)

    def move_a_row_behind_the_cursor(s: CursorServer) -> None:
        if len(s.cursors) == 1:
            row = s.rows.pop(150)  # not read yet; comes back before the cursor
            s.rows.insert(0, {"id": -1, "was": row["id"]})

    server.after_page = move_a_row_behind_the_cursor
    with pytest.raises(PagesChangedException) as caught:
        list(walk(server))  # type: ignore[arg-type]
    assert "reported 250 items but 249 could be read" in str(caught.value)


def test_by_cursor_a_capped_total_is_a_floor_not_a_count() -> None:
    server = CursorServer(250, cap=200)  # "at least 200"
    assert len(list(walk(server))) == 250  # type: ignore[arg-type]


def test_a_cursor_longer_than_a_url_can_carry_is_refused() -> None:
    position = PagePosition("")
    with pytest.raises(ApiValueError) as caught:
        position.read({"next_cursor": "x" * (LONGEST_TOKEN + 1), "total_entries_limit": 50_000})
    assert f"{LONGEST_TOKEN + 1} characters long" in str(caught.value)
    assert "xxxx" not in str(caught.value)


def test_positions_are_seen_only_inside_the_walks_own_call() -> None:
    assert current_page_position() is None
    server = CursorServer(10)
    list(walk(server))  # type: ignore[arg-type]
    assert current_page_position() is None


# -- the exception (guarantee 7) -------------------------------------------------------------------

def test_pages_changed_has_its_problem_parsed_and_reads_as_a_status_error() -> None:
    server = Scripted([(list(range(100)), None)])
    with pytest.raises(PagesChangedException) as caught:
        list(walk(server))  # type: ignore[arg-type]
    error = caught.value
    assert isinstance(error, ApiException) and error.status == 409
    assert error.error is not None
    assert error.error.title == "iter_things: the list changed while its pages were read"
    assert str(error).startswith(
        "409 Pages changed: iter_things: the list changed while its pages were read: page 2 ")


def test_the_readme_states_the_guarantees_of_paging_py_word_for_word() -> None:
    import airflow_python_sdk._operation.paging as paging

    root = Path(paging.__file__).resolve().parents[2]
    stated = (paging.__doc__ or "").split("1. Pages", 1)[1]
    readme = (root / "README.md").read_text(encoding="utf-8").split("  1. Pages", 1)[1]
    in_readme = readme.split("\n- ", 1)[0]

    def words(text: str) -> list[str]:
        return text.split()

    assert words(in_readme) == words(stated)

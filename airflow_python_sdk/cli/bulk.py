"""Running one call per item (an execution date, a DAG run to clear) on a few threads, and
keeping score.

Each item's outcome is recorded on its own: a failure never undoes or hides what succeeded.
Some failures say that every later call would fail the same way (wrong credentials, a server
that is gone); after one of those, items not yet started are left alone and reported as not
attempted, instead of hammering a server that cannot answer. Ctrl-C does the same: the calls in
flight finish (each within its timeout), no other starts, and the result says which is which.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any, Callable, Generic, Optional, Sequence, TypeVar

from airflow_python_sdk._errors import (
    ApiConnectionError,
    ApiException,
    ForbiddenException,
    OpenApiException,
    UnauthorizedException,
)
from airflow_python_sdk.cli.progress import Progress

__all__ = ["BulkResult", "Failure", "run_bulk"]

# Errors that every other item would hit too.
STOPS_THE_RUN = (UnauthorizedException, ForbiddenException, ApiConnectionError)

T = TypeVar("T")


@dataclass(frozen=True)
class Failure(Generic[T]):
    item: T
    # Almost always an ApiException; any other error of the SDK about one item (an argument it
    # refused) is recorded too, so the summary still says what was done.
    error: OpenApiException


@dataclass
class BulkResult(Generic[T]):
    """Outcomes in the order the items were given."""

    succeeded: list[tuple[T, Any]] = field(default_factory=list)
    failed: list[Failure[T]] = field(default_factory=list)
    not_attempted: list[T] = field(default_factory=list)
    stopped_by: Optional[ApiException] = None
    # Ctrl-C stopped the run: the calls in flight finished and are counted, no more started.
    interrupted: bool = False

    @property
    def all_succeeded(self) -> bool:
        return not self.failed and not self.not_attempted


def run_bulk(
    items: Sequence[T],
    call: Callable[[T], Any],
    *,
    workers: int,
    progress: Progress,
) -> BulkResult[T]:
    """Call `call(item)` for every item on at most `workers` threads (in order with one).

    `call` returns what to report for a success, or raises an ApiException (or another of the
    SDK's errors, recorded as that item's failure all the same).
    """
    stop = threading.Event()
    stopped_by: list[ApiException] = []
    outcomes: dict[int, tuple[str, Any]] = {}

    def one(index: int) -> tuple[int, str, Any]:
        if stop.is_set():
            return index, "not_attempted", None
        try:
            return index, "succeeded", call(items[index])
        except ApiException as error:
            if isinstance(error, STOPS_THE_RUN) and not stop.is_set():
                stop.set()
                stopped_by.append(error)
            return index, "failed", error
        except OpenApiException as error:
            return index, "failed", error

    interrupted = False
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="airflow-sdk-bulk") as pool:
        futures = [pool.submit(one, index) for index in range(len(items))]
        try:
            for future in as_completed(futures):
                index, kind, value = future.result()
                outcomes[index] = (kind, value)
                progress.update(1)
        except KeyboardInterrupt:
            # Let the calls in flight finish (each is bounded by its timeout); start no more.
            # Leaving the block waits for them, so the summary can count what they changed.
            stop.set()
            interrupted = True
            for pending in futures:
                pending.cancel()
    if interrupted:
        for future in futures:
            if future.done() and not future.cancelled():
                index, kind, value = future.result()
                outcomes.setdefault(index, (kind, value))
    result: BulkResult[T] = BulkResult(stopped_by=stopped_by[0] if stopped_by else None,
                                       interrupted=interrupted)
    for index, item in enumerate(items):
        kind, value = outcomes.get(index, ("not_attempted", None))
        if kind == "succeeded":
            result.succeeded.append((item, value))
        elif kind == "failed":
            result.failed.append(Failure(item, value))
        else:
            result.not_attempted.append(item)
    return result

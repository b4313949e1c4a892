"""The server's state: task instances in memory, each with its logs per try, its earlier tries,
its extra links and XCom entries, and the DAG runs they belong to."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Optional, TypeVar

from .dag_runs import RunKey, derive_runs

T = TypeVar("T")


class TaskInstanceKey(NamedTuple):
    """What addresses a task instance; execution_date is always an aware UTC datetime."""

    dag_id: str
    task_id: str
    execution_date: datetime
    map_index: int = -1  # -1: not a mapped task instance


@dataclass
class StoredTaskInstance:
    """One task instance as the API shows it, plus the data its sub-resources serve."""

    fields: dict[str, Any]  # JSON-ready TaskInstance properties, date-times as UTC ISO text
    logs: dict[int, str] = field(default_factory=dict)  # try number -> whole log text
    extra_links: list[dict[str, Any]] = field(default_factory=list)
    tries: list[dict[str, Any]] = field(default_factory=list)  # earlier tries' fields, oldest first
    xcom: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> XCom entry fields
    downstream: list[str] = field(default_factory=list)  # task ids that run after this task


Records = dict[TaskInstanceKey, StoredTaskInstance]
Runs = dict[RunKey, dict[str, Any]]


class TaskInstanceStore:
    """Thread-safe map of task instances, and of the DAG runs they make up.

    Every read hands out a deep copy, so a request thread never sees a record that another
    thread is halfway through changing, and callers cannot change the store by accident.
    """

    def __init__(self, records: Iterable[tuple[TaskInstanceKey, StoredTaskInstance]] = ()) -> None:
        self._lock = threading.Lock()
        self._records: Records = {}
        self._runs: Runs = {}
        self.replace_all(records)

    def replace_all(self, records: Iterable[tuple[TaskInstanceKey, StoredTaskInstance]]) -> None:
        fresh = {key: copy.deepcopy(record) for key, record in records}
        runs = derive_runs((key.dag_id, key.execution_date, record.fields)
                           for key, record in fresh.items())
        with self._lock:
            self._records = fresh
            self._runs = runs

    def put(self, key: TaskInstanceKey, record: StoredTaskInstance) -> None:
        with self._lock:
            self._records[key] = copy.deepcopy(record)
            if (key.dag_id, key.execution_date) not in self._runs:
                self._runs.update(derive_runs([(key.dag_id, key.execution_date, record.fields)]))

    def get(self, key: TaskInstanceKey) -> Optional[StoredTaskInstance]:
        with self._lock:
            record = self._records.get(key)
            return copy.deepcopy(record) if record is not None else None

    def update(
        self, key: TaskInstanceKey, changes: Mapping[str, Any]
    ) -> Optional[StoredTaskInstance]:
        """Apply already-checked field values; None when there is no such task instance."""
        with self._lock:
            record = self._records.get(key)
            if record is None:
                return None
            record.fields.update(copy.deepcopy(dict(changes)))
            return copy.deepcopy(record)

    def delete(self, key: TaskInstanceKey) -> bool:
        with self._lock:
            return self._records.pop(key, None) is not None

    def transact(self, work: Callable[[Records, Runs], T]) -> T:
        """Run `work` on the live task instances and runs under the lock; a copy of what it
        returns is handed out. Actions that change several records at once use this, so that no
        request sees them half done."""
        with self._lock:
            return copy.deepcopy(work(self._records, self._runs))

    def keys(self) -> list[TaskInstanceKey]:
        with self._lock:
            return sorted(self._records)

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._records

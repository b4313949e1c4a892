"""The server's state: task instances in memory, each with its logs per try and its extra links."""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable, Mapping, NamedTuple, Optional


class TaskInstanceKey(NamedTuple):
    """What addresses a task instance; execution_date is always an aware UTC datetime."""

    dag_id: str
    task_id: str
    execution_date: datetime


@dataclass
class StoredTaskInstance:
    """One task instance as the API shows it, plus the data its sub-resources serve."""

    fields: dict[str, Any]  # JSON-ready TaskInstance properties, date-times as UTC ISO text
    logs: dict[int, str] = field(default_factory=dict)  # try number -> whole log text
    extra_links: list[dict[str, Any]] = field(default_factory=list)


class TaskInstanceStore:
    """Thread-safe map of task instances.

    Every read hands out a deep copy, so a request thread never sees a record that another
    thread is halfway through changing, and callers cannot change the store by accident.
    """

    def __init__(self, records: Iterable[tuple[TaskInstanceKey, StoredTaskInstance]] = ()) -> None:
        self._lock = threading.Lock()
        self._records: dict[TaskInstanceKey, StoredTaskInstance] = {}
        self.replace_all(records)

    def replace_all(self, records: Iterable[tuple[TaskInstanceKey, StoredTaskInstance]]) -> None:
        fresh = {key: copy.deepcopy(record) for key, record in records}
        with self._lock:
            self._records = fresh

    def put(self, key: TaskInstanceKey, record: StoredTaskInstance) -> None:
        with self._lock:
            self._records[key] = copy.deepcopy(record)

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

    def keys(self) -> list[TaskInstanceKey]:
        with self._lock:
            return sorted(self._records)

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._records

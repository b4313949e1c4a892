"""The server's state: DAGs with their tasks, DAG runs, and task instances, each with its logs
per try, its earlier tries, its extra links and XCom entries; and the runs the scheduler looks
after (`work`).

All of it lives under one lock: an action that changes several at once (a trigger makes a run
and its task instances, a delete removes both) runs in `transact`, so no request sees it half
done.
"""

from __future__ import annotations

import copy
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Optional, TypeVar

from .dag_runs import RunKey, RunWork, Work, derive_runs
from .dags import Dags, StoredDag, derive_dags
from .timestamps import format_timestamp

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
    # When the record last changed (UTC text), as Airflow's `updated_at`; not a field the API
    # shows, but what the lists' updated_at_gte/lte filter on. None: never changed since seeded.
    updated_at: Optional[str] = None

    def touch(self, now: Optional[datetime] = None) -> None:
        """Note that the record changed (at `now`, the current time when None)."""
        self.updated_at = format_timestamp(now or datetime.now(timezone.utc))

    def last_change(self) -> str:
        """When it last changed: `updated_at`, else the latest date of its fields."""
        if self.updated_at is not None:
            return self.updated_at
        fields = self.fields
        return str(fields.get("end_date") or fields.get("start_date") or fields.get("queued_dttm")
                   or fields["execution_date"])


Records = dict[TaskInstanceKey, StoredTaskInstance]
Runs = dict[RunKey, dict[str, Any]]


class Tables(NamedTuple):
    """The live state an action works on inside `TaskInstanceStore.transact`."""

    records: Records
    runs: Runs
    dags: Dags
    work: Work

    def give_to_scheduler(self, key: RunKey, now: float) -> None:
        """The scheduler looks after this run from now on (it was triggered, cleared or queued
        again), starting it a pace after `now` (time.monotonic())."""
        self.work[key] = RunWork(queued_at=now)


class TaskInstanceStore:
    """Thread-safe map of task instances, of the DAG runs they make up, and of the DAGs.

    Every read hands out a deep copy, so a request thread never sees a record that another
    thread is halfway through changing, and callers cannot change the store by accident.
    """

    def __init__(self, records: Iterable[tuple[TaskInstanceKey, StoredTaskInstance]] = (),
                 dags: Iterable[StoredDag] = ()) -> None:
        self._lock = threading.Lock()
        self._records: Records = {}
        self._runs: Runs = {}
        self._dags: Dags = {}
        self._work: Work = {}
        self.replace_all(records, dags)

    def replace_all(self, records: Iterable[tuple[TaskInstanceKey, StoredTaskInstance]],
                    dags: Iterable[StoredDag] = ()) -> None:
        """Hold these task instances (and their runs) and DAGs instead; a DAG the task
        instances name but `dags` does not declare is derived from them."""
        fresh = {key: copy.deepcopy(record) for key, record in records}
        runs = derive_runs((key.dag_id, key.execution_date, record.fields)
                           for key, record in fresh.items())
        all_dags = derive_dags(
            ((key.dag_id, key.task_id, record.fields, record.downstream)
             for key, record in fresh.items()),
            copy.deepcopy(list(dags)))
        with self._lock:
            self._records = fresh
            self._runs = runs
            self._dags = all_dags
            self._work = {}

    def put(self, key: TaskInstanceKey, record: StoredTaskInstance) -> None:
        with self._lock:
            self._records[key] = copy.deepcopy(record)
            if (key.dag_id, key.execution_date) not in self._runs:
                self._runs.update(derive_runs([(key.dag_id, key.execution_date, record.fields)]))
            instance = [(key.dag_id, key.task_id, record.fields, record.downstream)]
            dag = self._dags.get(key.dag_id)
            if dag is None or key.task_id not in dag.tasks:
                derived = derive_dags(instance)[key.dag_id]
                if dag is None:
                    self._dags[key.dag_id] = derived
                else:
                    dag.tasks.update(copy.deepcopy(derived.tasks))

    def put_dags(self, dags: Iterable[StoredDag]) -> None:
        """Hold these DAGs too, replacing any of the same id."""
        fresh = copy.deepcopy(list(dags))
        with self._lock:
            for dag in fresh:
                self._dags[dag.dag_id] = dag
            self._dags = dict(sorted(self._dags.items()))

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
            record.touch()
            return copy.deepcopy(record)

    def delete(self, key: TaskInstanceKey) -> bool:
        with self._lock:
            return self._records.pop(key, None) is not None

    def transact(self, work: Callable[[Tables], T]) -> T:
        """Run `work` on the live task instances, runs and DAGs under the lock; a copy of what
        it returns is handed out. Actions that change several records at once use this, so that
        no request sees them half done."""
        with self._lock:
            return copy.deepcopy(work(Tables(self._records, self._runs, self._dags,
                                             self._work)))

    def dag(self, dag_id: str) -> Optional[StoredDag]:
        with self._lock:
            found = self._dags.get(dag_id)
            return copy.deepcopy(found) if found is not None else None

    def dag_ids(self) -> list[str]:
        with self._lock:
            return sorted(self._dags)

    def keys(self) -> list[TaskInstanceKey]:
        with self._lock:
            return sorted(self._records)

    def __len__(self) -> int:
        with self._lock:
            return len(self._records)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._records

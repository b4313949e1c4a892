"""DAGs: what the server knows of each DAG (the spec's `DAG` fields) and its tasks.

A DAG's tasks say which task instances a new run gets (one per task) and how they relate
(`downstream`, for clear and bulk state with upstream/downstream). A DAG the seed does not
declare is derived from its task instances: its tasks are the task ids they name, unpaused, with
the defaults below. What a task does when the scheduler runs it (scheduler.py) is its script:
`outcomes` (one per try, the last repeating), `duration` and a `log` line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Optional

DAGS_FOLDER = "/opt/airflow/dags"
# The DAG fields of openapi.yaml a client may change.
MODIFIABLE_DAG_FIELDS = ("is_paused",)
# How a try of a scripted task can end.
OUTCOMES = ("success", "failed", "skipped")


@dataclass
class StoredTask:
    """One task of a DAG: what a new task instance of it starts with."""

    task_id: str
    downstream: list[str] = field(default_factory=list)  # task ids that run after this task
    operator: Optional[str] = None
    retries: int = 0  # a new task instance's max_tries
    pool: str = "default_pool"
    queue: str = "default"
    # Its script: how try 1, 2, ... ends (the last outcome repeats for later tries), how long a
    # try takes (None: the scheduler's pace), and a line its log ends with (None: a plain one).
    outcomes: tuple[str, ...] = ("success",)
    duration: Optional[float] = None
    log: Optional[str] = None

    def outcome(self, try_number: int) -> str:
        """How try `try_number` (from 1) ends."""
        return self.outcomes[min(max(try_number, 1), len(self.outcomes)) - 1]


@dataclass
class StoredDag:
    """One DAG: its fields as the API shows them, and its tasks in their order."""

    fields: dict[str, Any]  # JSON-ready DAG properties (dag_id, is_paused, tags, ...)
    tasks: dict[str, StoredTask] = field(default_factory=dict)

    @property
    def dag_id(self) -> str:
        return str(self.fields["dag_id"])

    @property
    def is_paused(self) -> bool:
        return bool(self.fields.get("is_paused"))


Dags = dict[str, StoredDag]


def dag_fields(dag_id: str, **given: Any) -> dict[str, Any]:
    """A DAG's fields as Airflow 2 shows them: every field of the spec, `given` over defaults."""
    fileloc = given.pop("fileloc", f"{DAGS_FOLDER}/{dag_id}.py")
    fields: dict[str, Any] = {
        "dag_id": dag_id,
        "dag_display_name": dag_id,
        "root_dag_id": None,
        "is_paused": False,
        "is_active": True,
        "is_subdag": False,
        "last_parsed_time": None,
        "fileloc": fileloc,
        "file_token": "token:" + fileloc,
        "owners": ["airflow"],
        "description": None,
        "schedule_interval": None,
        "timetable_description": "Never, external triggers only",
        "tags": [],
        "max_active_runs": 16,
        "max_active_tasks": 16,
        "has_import_errors": False,
    }
    fields.update(given)
    return fields


def cron(expression: Optional[str]) -> Optional[dict[str, str]]:
    """A cron schedule as Airflow 2 sends it; None for a DAG run only when triggered."""
    if expression is None:
        return None
    return {"__type": "CronExpression", "value": expression}


def derive_dags(instances: Iterable[tuple[str, str, Mapping[str, Any], list[str]]],
                declared: Iterable[StoredDag] = ()) -> Dags:
    """The declared DAGs, plus one for every DAG id the task instances (dag_id, task_id,
    fields, downstream) name but no declaration does; a declared DAG without tasks gets those
    its task instances name."""
    dags: Dags = {dag.dag_id: dag for dag in declared}
    derived: dict[str, dict[str, StoredTask]] = {}
    for dag_id, task_id, fields, downstream in instances:
        tasks = derived.setdefault(dag_id, {})
        task = tasks.get(task_id)
        if task is None:
            tasks[task_id] = StoredTask(
                task_id, list(downstream), fields.get("operator"),
                int(fields.get("max_tries") or 0), fields.get("pool") or "default_pool",
                fields.get("queue") or "default")
        else:
            # Mapped task instances are one task: its downstream is theirs together.
            task.downstream += [t for t in downstream if t not in task.downstream]
    for dag_id, tasks in sorted(derived.items()):
        dag = dags.get(dag_id)
        if dag is None:
            dags[dag_id] = StoredDag(dag_fields(dag_id), tasks)
        elif not dag.tasks:
            dag.tasks = tasks
    return dict(sorted(dags.items()))

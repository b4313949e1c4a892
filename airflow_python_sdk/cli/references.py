"""The task instances an action's answer names (TaskInstanceReferenceCollection), checked.

A dry run is what the command shows and asks about; an answer naming a task instance it cannot
address (no execution date, no DAG or task id, a map index that is no number) would be shown as
"None", or crash the comparison of what was planned with what was done. Such an answer is the
server's error (`UnusableAnswer`), and the caller says what was, or was not, changed.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from airflow_python_sdk.cli.errors import UnusableAnswer
from airflow_python_sdk.cli.safe_text import cut, escaped
from airflow_python_sdk.cli.selection import TaskInstanceRef

__all__ = ["references_of"]


def references_of(answer: Any) -> list[TaskInstanceRef]:
    """The task instances of a TaskInstanceReferenceCollection; UnusableAnswer, worded to follow
    "the server's dry run ...", for one that cannot be addressed."""
    refs = []
    for item in answer.get("task_instances") or ():
        if not hasattr(item, "get"):
            raise UnusableAnswer(f"names something that is not a task instance "
                                 f"({cut(escaped(repr(item)))})")
        dag_id, task_id = item.get("dag_id"), item.get("task_id")
        when, map_index = item.get("execution_date"), item.get("map_index")
        for name, value, usable in (
            ("dag_id", dag_id, isinstance(dag_id, str) and dag_id != ""),
            ("task_id", task_id, isinstance(task_id, str) and task_id != ""),
            ("execution_date", when, isinstance(when, datetime) and when.tzinfo is not None),
            ("map_index", map_index, map_index is None or (
                isinstance(map_index, int) and not isinstance(map_index, bool)
                and map_index >= -1)),
        ):
            if not usable:
                raise UnusableAnswer(f"names a task instance without a usable {name} "
                                     f"({_shown(dag_id, task_id, when)}: {name} is "
                                     f"{cut(escaped(repr(value)))})")
        refs.append(TaskInstanceRef(dag_id, when, task_id,
                                    -1 if map_index is None else map_index))
    return refs


def _shown(dag_id: Any, task_id: Any, when: Any) -> str:
    date = when.isoformat() if isinstance(when, datetime) else "?"
    return cut(escaped(f"{dag_id}.{task_id} @ {date}"))

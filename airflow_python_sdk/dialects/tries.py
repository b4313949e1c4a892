"""A page of a task instance's tries, ordered: what `get_task_instance_tries`' `limit`, `offset`
and `order_by` ask for. Neither Airflow 2 (which takes them and ignores them) nor Airflow 3
(which has none) applies them, so the SDK does, on the whole list the server sends: a task
instance has a few tries, not pages of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable

from airflow_python_sdk._errors import ApiValueError

__all__ = ["TRY_ORDERS", "tries_page"]

# The fields tries may be ordered by, as the embedded server takes them.
TRY_ORDERS = ("try_number", "start_date", "end_date", "duration", "state")


def tries_page(operation: str, arguments: Mapping[str, Any]
               ) -> Callable[[list[Any]], dict[str, Any]]:
    """A function that makes the tries the server listed into the page asked for (its
    `task_instances` and `total_entries`); the arguments are checked now, before sending."""
    order_by = arguments.get("order_by") or "try_number"
    descending = order_by.startswith("-")
    field = order_by.lstrip("-")
    if field not in TRY_ORDERS:
        raise ApiValueError(
            f"Invalid value for `order_by` of {operation}(): {order_by!r}; tries are ordered by "
            f"{', '.join(TRY_ORDERS)} ('-' before it for descending order)",
            path_to_item=[operation, "order_by"],
        )
    offset = arguments.get("offset") or 0
    limit = arguments.get("limit")

    def page(tries: list[Any]) -> dict[str, Any]:
        def key(item: Any) -> tuple[bool, Any]:
            value = item.get(field) if isinstance(item, Mapping) else None
            # Tries without the field go last, as None sorts after every value.
            return (value is None, value if isinstance(value, (int, float, str)) else "")

        ordered = sorted(tries, key=key, reverse=descending)
        end = None if limit is None else offset + limit
        return {"task_instances": ordered[offset:end], "total_entries": len(tries)}

    return page

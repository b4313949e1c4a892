"""States as text, whatever a model holds: an enum member, text a newer server sent, or None."""

from __future__ import annotations

from typing import Any, Optional

__all__ = ["FINISHED_TASK_STATES", "state_text"]

# A task instance in one of these has finished: nothing more happens to it unless it is cleared.
FINISHED_TASK_STATES = frozenset({"success", "failed", "skipped", "upstream_failed", "removed"})


def state_text(value: Any) -> Optional[str]:
    """`value` as text ("success", ...), or None for no state."""
    if value is None:
        return None
    inner = getattr(value, "value", value)
    return None if inner is None else str(inner)

"""String enums that keep values they do not list, and read like the generated clients' enums."""

from __future__ import annotations

from enum import Enum
from typing import Any, Optional, SupportsIndex, Union

from airflow_python_sdk._errors import ApiKeyError

__all__ = ["ModelEnum"]


class ModelEnum(str, Enum):
    """A string enum that keeps values it does not list.

    A newer server may report a value this SDK has never heard of; a maintenance job must not
    crash on it. `TaskState("awaiting_approval")` gives a TaskState whose `.value` is that string
    and which equals it, while `TaskState.__members__` still lists only the known values.

    A value is its text everywhere a string is: `str()`, formatting, `==` with plain strings,
    hashing (so it finds the text's entry in a dict), `json.dumps`. Its repr is the repr of that
    text, so lists and dicts holding states print as they would holding strings. Scripts written
    for the generated clients, whose enums were models with one `value` item, keep working:
    `state["value"]` and `state.get("value")` give the text; integer indexes and slices still
    index the text.
    """

    @classmethod
    def _missing_(cls, value: object) -> Optional[ModelEnum]:
        if not isinstance(value, str):
            return None
        member = str.__new__(cls, value)
        member._name_ = value.upper()
        member._value_ = value
        return member

    def __str__(self) -> str:
        return str(self.value)

    def __format__(self, format_spec: str) -> str:
        return format(str(self.value), format_spec)

    def __repr__(self) -> str:
        return repr(str(self.value))

    def __getitem__(self, key: Union[SupportsIndex, slice, str]) -> str:
        if isinstance(key, str):
            if key == "value":
                return str(self.value)
            raise ApiKeyError(
                f"{type(self).__name__} has no item '{key}'; its only item is 'value'",
                path_to_item=[key],
            )
        return str.__getitem__(self, key)

    def get(self, name: str, default: Any = None) -> Any:
        """The text for "value" (the generated clients' only item of an enum), else `default`."""
        return str(self.value) if name == "value" else default

    def to_str(self) -> str:
        """The text, as the generated clients' enums gave it."""
        return str(self.value)

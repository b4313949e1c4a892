"""How a field's values are checked, converted from JSON and written back to JSON.

Each field of a generated model names one kind (`STRING`, `DATETIME`, `EnumKind(TaskState)`,
`ModelKind(SLAMiss)`, `ListKind(...)`, ...). The kinds know nothing of the model base: a nested
model is reached through the class a `ModelKind` was made with.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Callable, Generic, Optional, TypeVar, Union, cast

from airflow_python_sdk._errors import ApiTypeError, ApiValueError, render_path
from airflow_python_sdk._internal.datetimes import format_datetime, is_aware, parse_datetime
from airflow_python_sdk._model_runtime.enums import ModelEnum

if TYPE_CHECKING:
    from airflow_python_sdk._model_runtime.base import Model
    from airflow_python_sdk._model_runtime.origin import Origin

__all__ = [
    "ANY",
    "BOOLEAN",
    "DATETIME",
    "INTEGER",
    "NUMBER",
    "STRING",
    "EnumKind",
    "JsonWritable",
    "Kind",
    "ListKind",
    "ModelKind",
    "Path",
    "datetime_to_json",
    "to_json_value",
    "type_error",
]

T = TypeVar("T")
M = TypeVar("M", bound="Model")
E = TypeVar("E", bound=ModelEnum)
Path = tuple[Union[str, int], ...]

# How much of a rejected value an error message quotes.
_VALUE_EXCERPT = 60


def _describe(value: object) -> str:
    text = repr(value)
    if len(text) > _VALUE_EXCERPT:
        text = text[:_VALUE_EXCERPT] + "..."
    return f"{type(value).__name__} ({text})"


def _naive_error(path: Path, value: datetime) -> ApiValueError:
    return ApiValueError(
        f"Invalid value for `{render_path(path) or 'value'}`: {value!r} has no UTC offset, so it "
        "names no instant; give an aware datetime (e.g. datetime(..., tzinfo=timezone.utc))",
        path_to_item=path,
    )


def type_error(path: Path, expected: str, value: object) -> ApiTypeError:
    """The error for a value of the wrong type, naming where it was and an excerpt of it."""
    return ApiTypeError(
        f"Invalid type for `{render_path(path)}`: expected {expected}, got {_describe(value)}",
        path_to_item=path,
    )


def datetime_to_json(value: datetime, path: Path) -> str:
    """An aware date-time as RFC 3339 text; a naive one names no instant and is refused."""
    if not is_aware(value):
        raise _naive_error(path, value)
    return format_datetime(value)


class JsonWritable:
    """A value that writes itself out as a JSON object: the model base is one (see `Model`).

    Declared here so that the kinds and `to_json_value` know models without importing them.
    """

    __slots__ = ()

    def _to_json(self, path: Path = (), keep_read_only: bool = False) -> dict[str, Any]:
        raise NotImplementedError


def to_json_value(value: Any, path: Path = (), keep_read_only: bool = False) -> Any:
    """Any value the SDK sends (models, enums, date-times, lists, dicts) as JSON-ready data.

    Read-only fields of models are left out (a request body) unless `keep_read_only`.
    """
    if isinstance(value, JsonWritable):  # first: a model is what requests send most
        return value._to_json(path, keep_read_only)
    if isinstance(value, ModelEnum):
        return value._value_
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, datetime):
        return datetime_to_json(value, path)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json_value(entry, (*path, index), keep_read_only)
                for index, entry in enumerate(value)]
    if isinstance(value, Mapping):
        return {str(key): to_json_value(entry, (*path, str(key)), keep_read_only)
                for key, entry in value.items()}
    raise type_error(path or ("value",), "a JSON-serializable value", value)


class Kind(Generic[T]):
    """How one field's values are checked, converted from JSON and written back to JSON.

    `convert` raises ApiTypeError/ApiValueError naming the path; `discard` drops unknown keys of
    nested models too. `to_json` leaves out the read-only fields of nested models (what a request
    sends) unless `keep_read_only` says otherwise.

    `exact` is the Python type that JSON values of this kind already have, so that reading them
    needs no call at all; None when every value needs converting.

    `decoded` is, for the kinds of `LazyField`s, the class of a decoded value (`datetime`, the
    nested model's class): a model read from an answer keeps any other value as it came until
    it is first read, and `decode_answer` then checks and decodes it. None for the kinds read
    with the answer.

    `origin` (the answer being read, see `Origin`) is passed down to nested models, whose own
    pending values keep it.
    """

    exact: Optional[type] = None
    name: str = "value"
    # A converter for the usual JSON value, without checks of its own: it raises (anything) when
    # the value is not the usual case, and the checked `convert` then decides. None: no shortcut.
    fast: Optional[Callable[[Any], T]] = None
    # Whether values of this kind go to json.dumps as they are (strings, numbers, booleans, enums).
    json_ready: bool = True
    decoded: Optional[type] = None
    # For a LazyField: decodes the usual text of an answer's value, without the model's context;
    # raises ValueError on anything else, for `decode_answer` to decide. None: no such shortcut.
    quick: Optional[Callable[[str], T]] = None

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> T:
        raise NotImplementedError

    def decode_answer(self, value: Any, path: Path, check: bool, discard: bool,
                      origin: Optional[Origin]) -> T:
        """An answer's value checked and decoded: leniently where that costs nothing, else by
        `convert`, whose errors name `path`. A nested model keeps `origin` for its own values
        (decoded at once without one)."""
        return self.convert(value, path, check, discard, origin)

    def to_json(self, value: T, path: Path, keep_read_only: bool = False) -> Any:
        return value


class _Scalar(Kind[T]):
    def __init__(self, python_type: type, name: str) -> None:
        self.exact = python_type
        self.name = name

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> T:
        if type(value) is self.exact:
            return cast(T, value)
        raise type_error(path, self.name, value)


class _Integer(_Scalar[int]):
    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> int:
        # bool is a subclass of int, and True is no try number.
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value)
        raise type_error(path, self.name, value)


class _Number(Kind[float]):
    exact = float
    name = "float"

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return float(value)
            except OverflowError:
                raise ApiValueError(
                    f"Invalid value for `{render_path(path)}`: {_describe(value)} is too large "
                    "for a float",
                    path_to_item=path,
                ) from None
        raise type_error(path, self.name, value)


class _DateTime(Kind[datetime]):
    name = "datetime"
    # Answers and callers alike are held to RFC 3339, which reads the same on every Python
    # version (datetime.fromisoformat reads more from 3.11 on).
    fast = staticmethod(parse_datetime)
    json_ready = False
    decoded = datetime
    quick = staticmethod(parse_datetime)

    def decode_answer(self, value: Any, path: Path, check: bool, discard: bool,
                      origin: Optional[Origin]) -> datetime:
        if value.__class__ is str:
            try:
                return parse_datetime(value)
            except ValueError:
                pass
        return self.convert(value, path, check)

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> datetime:
        if isinstance(value, datetime):
            if not is_aware(value):
                raise _naive_error(path, value)
            return value
        if isinstance(value, str):
            try:
                return parse_datetime(value)
            except ValueError:
                raise ApiValueError(
                    f"Invalid value for `{render_path(path)}`: {_describe(value)} is not an "
                    "RFC 3339 date-time",
                    path_to_item=path,
                ) from None
        raise type_error(path, "datetime or RFC 3339 str", value)

    def to_json(self, value: datetime, path: Path, keep_read_only: bool = False) -> Any:
        if isinstance(value, datetime):
            return datetime_to_json(value, path)
        return to_json_value(value, path, keep_read_only)  # an unchecked model holds anything


class _Any(Kind[Any]):
    name = "any JSON value"
    json_ready = False

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> Any:
        return value

    def to_json(self, value: Any, path: Path, keep_read_only: bool = False) -> Any:
        return to_json_value(value, path, keep_read_only)


STRING: Kind[str] = _Scalar(str, "str")
INTEGER: Kind[int] = _Integer(int, "int")
NUMBER: Kind[float] = _Number()
BOOLEAN: Kind[bool] = _Scalar(bool, "bool")
DATETIME: Kind[datetime] = _DateTime()
ANY: Kind[Any] = _Any()


class EnumKind(Kind[E]):
    """A string enum; values the enum does not list are kept (see `ModelEnum`)."""

    # Members are strings and json.dumps would take them, but JSON data holds plain text.
    json_ready = False

    def __init__(self, enum_class: type[E]) -> None:
        self.enum_class = enum_class
        self.name = enum_class.__name__
        # Listed values are found in the enum's own map; others take `convert`.
        self.fast = enum_class._value2member_map_.__getitem__  # type: ignore[assignment]

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> E:
        if isinstance(value, self.enum_class):
            return value
        if type(value) is str:
            member = self.enum_class._value2member_map_.get(value)
            return member if member is not None else self.enum_class(value)  # type: ignore[return-value]
        raise type_error(path, f"{self.name} or str", value)

    def to_json(self, value: E, path: Path, keep_read_only: bool = False) -> Any:
        if isinstance(value, self.enum_class):
            return value._value_
        return to_json_value(value, path, keep_read_only)  # an unchecked model holds anything


class ModelKind(Kind[M]):
    """A nested model, given as a model or as a dict of its JSON fields."""

    json_ready = False

    def __init__(self, model_class: type[M]) -> None:
        self.model_class = model_class
        self.decoded = model_class
        self.name = model_class.__name__
        self.fast = self._fast

    def _fast(self, value: Any) -> M:
        if type(value) is not dict:
            raise TypeError(value)
        return self.model_class._from_json(dict(value), True, False, (self.name,))

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> M:
        if isinstance(value, self.model_class):
            return value
        if isinstance(value, dict):
            return self.model_class._from_json(dict(value), check, discard, path, origin)
        raise type_error(path, f"{self.name} or dict", value)

    def decode_answer(self, value: Any, path: Path, check: bool, discard: bool,
                      origin: Optional[Origin]) -> M:
        if value.__class__ is dict:
            # Not copied: the model converts a copy and keeps this, its parent's text, as is.
            return self.model_class._from_json(value, check, discard, path, origin)
        return self.convert(value, path, check, discard, origin)

    def to_json(self, value: M, path: Path, keep_read_only: bool = False) -> Any:
        if isinstance(value, self.model_class):
            return value._to_json(path, keep_read_only)
        return to_json_value(value, path, keep_read_only)  # an unchecked model holds anything


class ListKind(Kind[list[T]]):
    """A JSON array whose items are of one kind."""

    exact = None
    json_ready = False

    def __init__(self, item: Kind[T]) -> None:
        self.item = item
        self.name = f"list[{item.name}]"

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False,
                origin: Optional[Origin] = None) -> list[T]:
        if not isinstance(value, (list, tuple)):
            raise type_error(path, self.name, value)
        item = self.item
        exact = item.exact
        return [
            cast(T, entry) if exact is not None and type(entry) is exact
            else item.convert(entry, (*path, index), check, discard, origin)
            for index, entry in enumerate(value)
        ]

    def to_json(self, value: list[T], path: Path, keep_read_only: bool = False) -> Any:
        item = self.item
        return [item.to_json(entry, (*path, index), keep_read_only)
                for index, entry in enumerate(value)]

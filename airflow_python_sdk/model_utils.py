"""The base of the generated models: typed fields, value kinds, string enums.

A model keeps its values in one dict (`_data`) keyed by the JSON names. Reading an answer reuses
the dict that `json.loads` made: a field whose JSON type is already the Python type (a string, an
integer, a boolean) is only checked, and only date-times, numbers sent as integers, enums and nested
models are converted in place. That keeps deserialization close to the cost of parsing.

Keys the spec does not know are kept as they came (forward compatibility) unless the configuration
says `discard_unknown_keys`. JSON null is accepted in every field and reads as None.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime, timezone
from enum import Enum
from typing import Any, Callable, ClassVar, Generic, Optional, TypeVar, Union, cast, overload

from airflow_python_sdk.datetimes import format_datetime, is_aware, parse_datetime
from airflow_python_sdk.exceptions import (
    ApiAttributeError,
    ApiKeyError,
    ApiTypeError,
    ApiValueError,
    render_path,
)

__all__ = [
    "ANY",
    "BOOLEAN",
    "DATETIME",
    "INTEGER",
    "NUMBER",
    "STRING",
    "EnumKind",
    "Field",
    "Kind",
    "ListKind",
    "Model",
    "ModelEnum",
    "ModelKind",
    "Path",
    "to_json_value",
]

T = TypeVar("T")
M = TypeVar("M", bound="Model")
E = TypeVar("E", bound="ModelEnum")
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


def _type_error(path: Path, expected: str, value: object) -> ApiTypeError:
    return ApiTypeError(
        f"Invalid type for `{render_path(path)}`: expected {expected}, got {_describe(value)}",
        path_to_item=path,
    )


class Kind(Generic[T]):
    """How one field's values are checked, converted from JSON and written back to JSON.

    `convert` raises ApiTypeError/ApiValueError naming the path; `discard` drops unknown keys of
    nested models too.

    `exact` is the Python type that JSON values of this kind already have, so that reading them
    needs no call at all; None when every value needs converting.
    """

    exact: Optional[type] = None
    name: str = "value"
    # A converter for the usual JSON value, without checks of its own: it raises (anything) when
    # the value is not the usual case, and the checked `convert` then decides. None: no shortcut.
    fast: Optional[Callable[[Any], T]] = None
    # Whether values of this kind go to json.dumps as they are (strings, numbers, booleans, enums).
    json_ready: bool = True

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> T:
        raise NotImplementedError

    def to_json(self, value: T, path: Path) -> Any:
        return value


class _Scalar(Kind[T]):
    def __init__(self, python_type: type, name: str) -> None:
        self.exact = python_type
        self.name = name

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> T:
        if type(value) is self.exact:
            return cast(T, value)
        raise _type_error(path, self.name, value)


class _Integer(_Scalar[int]):
    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> int:
        # bool is a subclass of int, and True is no try number.
        if isinstance(value, int) and not isinstance(value, bool):
            return int(value)
        raise _type_error(path, self.name, value)


class _Number(Kind[float]):
    exact = float
    name = "float"

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return float(value)
            except OverflowError:
                raise ApiValueError(
                    f"Invalid value for `{render_path(path)}`: {_describe(value)} is too large "
                    "for a float",
                    path_to_item=path,
                ) from None
        raise _type_error(path, self.name, value)


class _DateTime(Kind[datetime]):
    name = "datetime"
    # Reading answers is lenient where it costs nothing to be: any ISO 8601 date-time with an
    # offset names one instant (a result without one is refused in Model._from_json). What
    # callers pass is held to RFC 3339 by `convert`.
    fast = staticmethod(datetime.fromisoformat)
    json_ready = False

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> datetime:
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
        raise _type_error(path, "datetime or RFC 3339 str", value)

    def to_json(self, value: datetime, path: Path) -> Any:
        return to_json_value(value, path)


class _Any(Kind[Any]):
    name = "any JSON value"
    json_ready = False

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> Any:
        return value


STRING: Kind[str] = _Scalar(str, "str")
INTEGER: Kind[int] = _Integer(int, "int")
NUMBER: Kind[float] = _Number()
BOOLEAN: Kind[bool] = _Scalar(bool, "bool")
DATETIME: Kind[datetime] = _DateTime()
ANY: Kind[Any] = _Any()


class EnumKind(Kind[E]):
    """A string enum; values the enum does not list are kept (see `ModelEnum`)."""

    def __init__(self, enum_class: type[E]) -> None:
        self.enum_class = enum_class
        self.name = enum_class.__name__
        # Listed values are found in the enum's own map; others take `convert`.
        self.fast = enum_class._value2member_map_.__getitem__  # type: ignore[assignment]

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> E:
        if isinstance(value, self.enum_class):
            return value
        if type(value) is str:
            member = self.enum_class._value2member_map_.get(value)
            return member if member is not None else self.enum_class(value)  # type: ignore[return-value]
        raise _type_error(path, f"{self.name} or str", value)


class ModelKind(Kind[M]):
    """A nested model, given as a model or as a dict of its JSON fields."""

    json_ready = False

    def __init__(self, model_class: type[M]) -> None:
        self.model_class = model_class
        self.name = model_class.__name__
        self.fast = self._fast

    def _fast(self, value: Any) -> M:
        if type(value) is not dict:
            raise TypeError(value)
        return self.model_class._from_json(dict(value), True, False, (self.name,))

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> M:
        if isinstance(value, self.model_class):
            return value
        if isinstance(value, dict):
            return self.model_class._from_json(dict(value), check, discard, path)
        raise _type_error(path, f"{self.name} or dict", value)

    def to_json(self, value: M, path: Path) -> Any:
        return value._to_json(path) if isinstance(value, Model) else value


class ListKind(Kind[list[T]]):
    """A JSON array whose items are of one kind."""

    exact = None
    json_ready = False

    def __init__(self, item: Kind[T]) -> None:
        self.item = item
        self.name = f"list[{item.name}]"

    def convert(self, value: Any, path: Path, check: bool, discard: bool = False) -> list[T]:
        if not isinstance(value, (list, tuple)):
            raise _type_error(path, self.name, value)
        item = self.item
        exact = item.exact
        return [
            cast(T, entry) if exact is not None and type(entry) is exact
            else item.convert(entry, (*path, index), check, discard)
            for index, entry in enumerate(value)
        ]

    def to_json(self, value: list[T], path: Path) -> Any:
        return [self.item.to_json(entry, (*path, index)) for index, entry in enumerate(value)]


class Field(Generic[T]):
    """A model field: reading gives its value (None when unset), assigning checks and converts."""

    __slots__ = ("doc", "key", "kind", "read_only")

    def __init__(self, key: str, kind: Kind[T], *, read_only: bool = False, doc: str = "") -> None:
        self.key = key
        self.kind = kind
        self.read_only = read_only
        self.doc = doc

    @overload
    def __get__(self, instance: None, owner: type) -> Field[T]: ...

    @overload
    def __get__(self, instance: Model, owner: type) -> Optional[T]: ...

    def __get__(self, instance: Optional[Model], owner: type) -> Union[Field[T], Optional[T]]:
        if instance is None:
            return self
        return instance._data.get(self.key)

    def __set__(self, instance: Model, value: Optional[T]) -> None:
        instance._data[self.key] = instance._checked(self, value)
        instance._source = None


class Model:
    """The base of every generated model.

    Construct with keywords (or positionally, for the spec's required fields); read with
    attributes, `model["field"]`, `model.get("field")`; `"field" in model` says whether it is set.
    Fields never set are left out of `to_dict()` and of request bodies; an explicit None is sent
    as JSON null. Read-only fields are accepted but never sent.
    """

    __slots__ = ("_check_type", "_data", "_extra", "_source")

    # Filled for each generated class by __init_subclass__ from its Field attributes.
    _fields: ClassVar[dict[str, Field[Any]]] = {}
    _exact_types: ClassVar[dict[str, type]] = {}
    _fast: ClassVar[dict[str, Callable[[Any], Any]]] = {}
    _plans: ClassVar[dict[tuple[tuple[str, ...], tuple[type, ...]], _Plan]] = {}
    _to_convert: ClassVar[tuple[tuple[str, Kind[Any]], ...]] = ()
    _read_only: ClassVar[frozenset[str]] = frozenset()
    _required: ClassVar[tuple[str, ...]] = ()

    _data: dict[str, Any]
    _check_type: bool
    _extra: bool  # whether _data may hold keys the spec does not know
    # The JSON object this model was read from, while no field has been assigned since: writing
    # the model out again copies it instead of formatting every date-time anew.
    _source: Optional[dict[str, Any]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: dict[str, Field[Any]] = {}
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                if isinstance(attribute, Field):
                    fields[attribute.key] = attribute
        cls._fields = fields
        cls._exact_types = {
            key: field.kind.exact for key, field in fields.items() if field.kind.exact is not None
        }
        cls._fast = {key: field.kind.fast for key, field in fields.items()
                     if field.kind.fast is not None}
        cls._plans = {}
        cls._to_convert = tuple((key, field.kind) for key, field in fields.items()
                                if not field.kind.json_ready)
        cls._read_only = frozenset(key for key, field in fields.items() if field.read_only)

    def __init__(
        self,
        *args: Any,
        _check_type: bool = True,
        _path_to_item: tuple[Union[str, int], ...] = (),
        _configuration: Any = None,
        _spec_property_naming: bool = False,
        _visited_composed_classes: tuple[type, ...] = (),
        **kwargs: Any,
    ) -> None:
        cls = type(self)
        if len(args) > len(cls._required):
            raise ApiTypeError(
                f"{cls.__name__}() takes {len(cls._required)} positional argument(s) "
                f"({', '.join(cls._required) or 'none'}) but {len(args)} were given",
                path_to_item=(cls.__name__,),
            )
        for key, value in zip(cls._required, args):
            if key in kwargs:
                raise ApiTypeError(f"{cls.__name__}() got multiple values for `{key}`")
            kwargs[key] = value
        missing = [key for key in cls._required if key not in kwargs]
        if missing:
            raise ApiTypeError(
                f"{cls.__name__}() is missing required field(s): {', '.join(missing)}",
                path_to_item=(cls.__name__,),
            )
        self._check_type = _check_type
        self._data = {}
        self._extra = False
        self._source = None
        discard = bool(getattr(_configuration, "discard_unknown_keys", False))
        path = _path_to_item or (cls.__name__,)
        for key, value in kwargs.items():
            field = cls._fields.get(key)
            if field is not None:
                self._data[key] = self._checked(field, value, (*path, key))
            elif not discard:
                self._data[key] = value
                self._extra = True

    @classmethod
    def _from_openapi_data(cls: type[M], *args: Any, **kwargs: Any) -> M:
        """Construct from data as a server sent it (the original client's name)."""
        return cls(*args, **kwargs)

    @classmethod
    def from_dict(
        cls: type[M],
        data: Mapping[str, Any],
        *,
        _check_type: bool = True,
        discard_unknown_keys: bool = False,
    ) -> M:
        """Build a model from a dict of JSON fields (as `json.loads` gives), checking types."""
        if not isinstance(data, Mapping):
            raise _type_error((cls.__name__,), "dict", data)
        return cls._from_json(dict(data), _check_type, discard_unknown_keys, (cls.__name__,))

    @classmethod
    def _from_json(cls: type[M], data: dict[str, Any], check: bool, discard: bool,
                   path: Path) -> M:
        # The hot path of every answer: `data` is ours to keep and change in place. Only the
        # keys the plan names are looked at: values whose JSON type is their Python type (and
        # nulls) need nothing. A date-time, an enum or a nested model takes its kind's shortcut;
        # whatever a shortcut refuses takes the checked path, which converts it or raises an
        # error that names the field.
        to_convert, unknown = cls._plan_for(data)
        source = data.copy()
        if to_convert:
            fast = cls._fast if not discard else _NO_SHORTCUTS
            fields = cls._fields
            for key in to_convert:
                value = data[key]
                shortcut = fast.get(key)
                if shortcut is not None:
                    try:
                        converted = shortcut(value)
                        if type(converted) is not datetime or converted.tzinfo is not None:
                            data[key] = converted
                            continue
                    except Exception:
                        pass  # the checked path below decides
                try:
                    data[key] = fields[key].kind.convert(value, (*path, key), check, discard)
                except (ApiTypeError, ApiValueError):
                    if check:
                        raise
        if unknown and discard:
            for key in unknown:
                del data[key]
                del source[key]
        self = object.__new__(cls)
        self._data = data
        self._check_type = check
        self._extra = bool(unknown) and not discard
        self._source = source
        return self

    @classmethod
    def _plan_for(cls, data: dict[str, Any]) -> _Plan:
        """Which keys of `data` need converting, and which the spec does not know.

        Answers of one server share their layout (keys, order, JSON types), so the plan is
        worked out once per layout: comparing two tuples in C is much cheaper than looking at
        every field in Python. The number of layouts kept is bounded; past it, plans are
        worked out each time.
        """
        layout = (tuple(data), tuple(map(type, data.values())))
        plan = cls._plans.get(layout)
        if plan is None:
            exact = cls._exact_types
            fields = cls._fields
            convert: list[str] = []
            unknown: list[str] = []
            for key, json_type in zip(*layout):
                if key not in fields:
                    unknown.append(key)
                elif json_type is not _NONE_TYPE and json_type is not exact.get(key):
                    convert.append(key)
            plan = (tuple(convert), tuple(unknown))
            if len(cls._plans) < _PLAN_LIMIT:
                cls._plans[layout] = plan
        return plan

    def _checked(self, field: Field[Any], value: Any, path: Optional[Path] = None) -> Any:
        if value is None:
            return None
        kind = field.kind
        if kind.exact is not None and type(value) is kind.exact:
            return value
        try:
            return kind.convert(value, path or (type(self).__name__, field.key), self._check_type)
        except (ApiTypeError, ApiValueError):
            if self._check_type:
                raise
            return value

    # -- reading ------------------------------------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails: unknown fields a server sent are readable too.
        if not name.startswith("_"):
            data = self._data
            if name in data:
                return data[name]
        raise ApiAttributeError(f"{type(self).__name__} has no attribute '{name}'")

    def __getitem__(self, name: str) -> Any:
        try:
            return self._data[name]
        except KeyError:
            raise ApiKeyError(
                f"{type(self).__name__} has no field '{name}' set", path_to_item=[name]
            ) from None

    def __setitem__(self, name: str, value: Any) -> None:
        self._source = None
        field = type(self)._fields.get(name)
        if field is None:
            self._extra = True
            self._data[name] = value
        else:
            self._data[name] = self._checked(field, value)

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def get(self, name: str, default: Any = None) -> Any:
        """The field's value, or `default` when it is not set."""
        return self._data.get(name, default)

    # -- writing out ----------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """The fields that are set, as plain Python values (nested models become dicts).

        Unknown fields are given as they came: walking into them could recurse as deep as a
        server nests them.
        """
        fields = type(self)._fields
        return {key: _plain(value) if key in fields else value
                for key, value in self._data.items()}

    def to_str(self) -> str:
        """The fields as a pretty-printed dict."""
        import pprint  # only here: most jobs never pretty-print a model

        return pprint.pformat(self.to_dict())

    def _to_json(self, path: Path = ()) -> dict[str, Any]:
        """The fields that are set, ready for `json.dumps`; read-only fields are left out."""
        cls = type(self)
        source = self._source
        if source is not None:
            # Unchanged since it was read: the JSON it came as, but for nested models, which
            # may have changed since and leave out their own read-only fields.
            out = source.copy()
            data = self._data
            for key, kind in cls._to_convert:
                value = data.get(key)
                if isinstance(value, Model):
                    out[key] = value._to_json((*path, key) if path else (cls.__name__, key))
                elif isinstance(kind, ListKind) and value:
                    out[key] = kind.to_json(value, (*path, key) if path else (cls.__name__, key))
        elif not self._check_type or self._extra:
            return self._to_json_checked(path)
        else:
            # Checked strings, numbers, booleans and enums are JSON-ready as they are: copy the
            # dict in one go and convert only the fields whose kind needs it.
            out = self._data.copy()
            for key, kind in cls._to_convert:
                value = out.get(key)
                if value is None:
                    continue
                if type(value) is datetime and value.tzinfo is timezone.utc:
                    out[key] = value.isoformat()
                else:
                    out[key] = kind.to_json(value, (*path, key) if path else (cls.__name__, key))
        for key in cls._read_only:
            out.pop(key, None)
        return out

    def _to_json_checked(self, path: Path) -> dict[str, Any]:
        # Unchecked models may hold anything, and unknown keys anything a caller put there:
        # every value is looked at.
        cls = type(self)
        fields = cls._fields
        read_only = cls._read_only
        out: dict[str, Any] = {}
        for key, value in self._data.items():
            if key in read_only:
                continue
            where = (*path, key) if path else (cls.__name__, key)
            field = fields.get(key)
            if field is not None and value is not None and not field.kind.json_ready:
                out[key] = field.kind.to_json(value, where)
            else:
                out[key] = to_json_value(value, where)
        return out

    def __repr__(self) -> str:
        fields = ", ".join(f"{key}={value!r}" for key, value in self._data.items())
        return f"{type(self).__name__}({fields})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        return type(self) is type(other) and self._data == other._data

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]


_NO_SHORTCUTS: dict[str, Callable[[Any], Any]] = {}
_NONE_TYPE = type(None)
# How many answer layouts a model class remembers plans for (see Model._plan_for).
_PLAN_LIMIT = 64
# (keys to convert, keys the spec does not know)
_Plan = tuple[tuple[str, ...], tuple[str, ...]]


def _plain(value: Any) -> Any:
    """A known field's value as plain data: the spec's nesting is shallow, so this is too."""
    if isinstance(value, Model):
        return value.to_dict()
    if isinstance(value, ModelEnum):
        return value.value
    if isinstance(value, list):
        return [_plain(entry) for entry in value]
    return value


def to_json_value(value: Any, path: Path = ()) -> Any:
    """Any value the SDK sends (models, enums, date-times, lists, dicts) as JSON-ready data."""
    if value is None or isinstance(value, (str, int, float)):
        # Enums are str subclasses and serialize as their value.
        return value
    if isinstance(value, Model):
        return value._to_json(path)
    if isinstance(value, datetime):
        if not is_aware(value):
            raise _naive_error(path, value)
        return format_datetime(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [to_json_value(entry, (*path, index)) for index, entry in enumerate(value)]
    if isinstance(value, Mapping):
        return {str(key): to_json_value(entry, (*path, str(key))) for key, entry in value.items()}
    raise _type_error(path or ("value",), "a JSON-serializable value", value)


class ModelEnum(str, Enum):
    """A string enum that keeps values it does not list.

    A newer server may report a value this SDK has never heard of; a maintenance job must not
    crash on it. `TaskState("awaiting_approval")` gives a TaskState whose `.value` is that string
    and which equals it, while `TaskState.__members__` still lists only the known values.
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

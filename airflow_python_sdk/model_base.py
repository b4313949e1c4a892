"""The base of the generated models: typed fields, construction, reading answers, access.

A model keeps its values in one dict (`_data`) keyed by the JSON names. Reading an answer reuses
the dict that `json.loads` made: a field whose JSON type is already the Python type (a string, an
integer, a boolean) is only checked, and only date-times, numbers sent as integers, enums and nested
models are converted in place. That keeps deserialization close to the cost of parsing.

Keys the spec does not know are kept as they came (forward compatibility) unless the configuration
says `discard_unknown_keys`. JSON null is accepted in every field and reads as None.

How values are checked and converted is in `model_kinds`; how a model is written out (dicts, JSON,
printed text) in `model_output`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, Callable, ClassVar, Generic, Optional, TypeVar, Union, overload

from airflow_python_sdk.exceptions import (
    ApiAttributeError,
    ApiKeyError,
    ApiTypeError,
    ApiValueError,
)
from airflow_python_sdk.model_kinds import Kind, Path, type_error
from airflow_python_sdk.model_output import ModelOutput

__all__ = ["PLAN_LIMIT", "Field", "Model"]

T = TypeVar("T")
M = TypeVar("M", bound="Model")

_NO_SHORTCUTS: dict[str, Callable[[Any], Any]] = {}
_NONE_TYPE = type(None)
# How many answer layouts a model class remembers plans for (see Model._plan_for).
PLAN_LIMIT = 64
# (keys to convert, keys the spec does not know)
_Plan = tuple[tuple[str, ...], tuple[str, ...]]


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


class Model(ModelOutput):
    """The base of every generated model.

    Construct with keywords (or positionally, for the spec's required fields); read with
    attributes, `model["field"]`, `model.get("field")`; `"field" in model` says whether it is set.
    Fields never set are left out of `to_dict()` and of request bodies; an explicit None is sent
    as JSON null. Read-only fields are accepted but never sent. Written out with `to_dict()`,
    `to_dict(mode="json")` and `to_json()`, and printed as the dict of its fields (`ModelOutput`).
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
            raise type_error((cls.__name__,), "dict", data)
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
            if len(cls._plans) < PLAN_LIMIT:
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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        return type(self) is type(other) and self._data == other._data

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]

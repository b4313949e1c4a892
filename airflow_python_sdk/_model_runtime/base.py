"""The base of the generated models: construction, reading answers, access.

A model keeps its values in one dict (`_data`) keyed by the JSON names. Reading an answer reuses
the dict that `json.loads` made: a field whose JSON type is already the Python type (a string, an
integer, a boolean) is only checked, and numbers sent as integers and enums are converted in
place. Date-times and nested models (`LazyField`s) are kept as the answer gave them and decoded
when first read: the value, or the whole model (`to_dict()`, `to_json()`, printing, `==`, a
request body). That keeps deserialization close to the cost of parsing. Each generated model
reads its fields with its own decoder, straight-line code written by the generator (`_decode`);
whatever surprises it goes the checked way (`_convert_checked`).

Keys the spec does not know are kept as they came (forward compatibility) unless the configuration
says `discard_unknown_keys`. JSON null is accepted in every field and reads as None.

A model's fields are `fields`; how values are checked and converted is in `kinds`; how a model
is written out (dicts, JSON, printed text) in `output`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any, ClassVar, Optional, TypeVar, Union

from airflow_python_sdk._errors import (
    ApiAttributeError,
    ApiKeyError,
    ApiTypeError,
    ApiValueError,
)
from airflow_python_sdk._model_runtime.fields import Field, LazyField
from airflow_python_sdk._model_runtime.kinds import Kind, Path, type_error
from airflow_python_sdk._model_runtime.origin import Origin, answer_error, eager_origin
from airflow_python_sdk._model_runtime.output import ModelOutput

__all__ = ["Model"]

M = TypeVar("M", bound="Model")


class Model(ModelOutput):
    """The base of every generated model.

    Construct with keywords (or positionally, for the spec's required fields); read with
    attributes, `model["field"]`, `model.get("field")`; `"field" in model` says whether it is set.
    Fields never set are left out of `to_dict()` and of request bodies; an explicit None is sent
    as JSON null. Read-only fields are accepted but never sent. Written out with `to_dict()`,
    `to_dict(mode="json")` and `to_json()`, and printed as the dict of its fields (`ModelOutput`).
    """

    __slots__ = ("_check_type", "_data", "_extra", "_origin", "_path", "_source")

    # Filled for each generated class by __init_subclass__ from its Field attributes.
    _fields: ClassVar[dict[str, Field[Any]]] = {}
    _keys: ClassVar[frozenset[str]] = frozenset()
    _lazy: ClassVar[dict[str, LazyField[Any]]] = {}
    _to_convert: ClassVar[tuple[tuple[str, Kind[Any]], ...]] = ()
    _read_only: ClassVar[frozenset[str]] = frozenset()
    _required: ClassVar[tuple[str, ...]] = ()

    _data: dict[str, Any]
    _check_type: bool
    # Whether _data may hold keys the spec does not know; None for an answer's model until
    # writing it out needs to know (looking costs as much as reading a few fields).
    _extra: Optional[bool]
    # The JSON object this model was read from, while no field has been assigned since: writing
    # the model out again copies it instead of formatting every date-time anew.
    _source: Optional[dict[str, Any]]
    # The answer this model was read from while a LazyField's value may still be pending (None
    # once every one is decoded, and for models built by callers), and where the model is in it.
    _origin: Optional[Origin]
    _path: Path

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: dict[str, Field[Any]] = {}
        for klass in reversed(cls.__mro__):
            for attribute in vars(klass).values():
                if isinstance(attribute, Field):
                    fields[attribute.key] = attribute
        cls._fields = fields
        cls._keys = frozenset(fields)
        cls._lazy = {key: field for key, field in fields.items() if isinstance(field, LazyField)}
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
        self._origin = None
        discard = bool(getattr(_configuration, "discard_unknown_keys", False))
        path = _path_to_item or (cls.__name__,)
        self._path = path
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

    @staticmethod
    def _decode(data: dict[str, Any], check: bool, discard: bool, path: Path,
                origin: Optional[Origin]) -> bool:
        """Convert the known fields of an answer in place, but for the LazyFields; False when
        they are not as the spec says. Each generated model has its own, one step per field;
        this one, for models written by hand, leaves every answer to the checked path."""
        return False

    @classmethod
    def _from_json(cls: type[M], data: dict[str, Any], check: bool, discard: bool,
                   path: Path, origin: Optional[Origin] = None) -> M:
        # The hot path of every answer. `data` is kept, unchanged, as the source the model
        # writes back, and the model converts a copy: so a nested model of a list is given the
        # list's own item, which its parent's source shares, without a second copy. The model's
        # generated decoder reads the usual answer; at the first surprise (a value of another
        # type, an enum value the spec does not list) it stops, and the checked path reads the
        # answer again from a fresh copy, converting what it can and raising the error that
        # names the field. LazyFields are left as they came, for their first reading; without
        # an `origin` (a caller's dict, not an answer) they are decoded before returning.
        source = data
        data = cls._converted(source, check, discard, path, origin)
        extra: Optional[bool] = None
        if discard:
            source = {key: value for key, value in source.items() if key in cls._keys}
            extra = False
        self = object.__new__(cls)
        self._data = data
        self._check_type = check
        self._extra = extra
        self._path = path
        if origin is not None:
            # An answer's JSON, kept to write back the server's exact text while unchanged.
            self._source = source
            self._origin = origin
        else:
            # A caller's dict is kept to write back as given only when it is JSON (as
            # `json.loads` gives); one holding Python values (a datetime, an enum member, a
            # model) is written out from its converted fields.
            self._source = source if _is_json(source) else None
            self._origin = eager_origin(discard)
            self._decode_pending()
        return self

    @classmethod
    def _converted(cls, source: dict[str, Any], check: bool, discard: bool, path: Path,
                   origin: Optional[Origin]) -> dict[str, Any]:
        """A converted copy of an answer's object (`source` is left as it is)."""
        data = source.copy()
        try:
            decoded = cls._decode(data, check, discard, path, origin)
        except Exception:
            decoded = False
        if not decoded:
            data = source.copy()
            cls._convert_checked(data, check, discard, path, origin)
        if discard:
            keys = cls._keys
            for key in [key for key in data if key not in keys]:
                del data[key]
        return data

    def _read_now(self) -> dict[str, Any]:
        """Read an unread model's object (`unread.unread_model`) at its first use, as
        `_from_json` would have; a value that is not what the spec says raises what the call
        would have raised."""
        source = self._source
        origin = self._origin
        if source is None or origin is None:
            raise ApiAttributeError(f"{type(self).__name__} has no values")
        discard = origin[3]
        try:
            data = type(self)._converted(source, self._check_type, discard, self._path, origin)
        except (ApiTypeError, ApiValueError) as exc:
            error = answer_error(exc, origin, source)
            if error is exc:
                raise
            raise error from exc
        if discard:
            self._source = {key: value for key, value in source.items() if key in data}
            self._extra = False
        self._data = data
        return data

    @classmethod
    def _convert_checked(cls, data: dict[str, Any], check: bool, discard: bool,
                         path: Path, origin: Optional[Origin] = None) -> None:
        """Convert every known field of `data` in place, each by its kind's checks; LazyFields
        are left for their first reading."""
        fields = cls._fields
        lazy = cls._lazy
        for key, value in list(data.items()):
            field = fields.get(key)
            if field is None or value is None or key in lazy:
                continue
            kind = field.kind
            if kind.exact is not None and type(value) is kind.exact:
                continue
            shortcut = kind.fast if not discard else None
            if shortcut is not None:
                # Answers get the readings the decoders use; what they refuse is decided by
                # `convert`.
                try:
                    converted = shortcut(value)
                    if type(converted) is not datetime or converted.tzinfo is not None:
                        data[key] = converted
                        continue
                except Exception:
                    pass
            try:
                data[key] = kind.convert(value, (*path, key), check, discard, origin)
            except (ApiTypeError, ApiValueError):
                if check:
                    raise

    def _read_pending(self, field: LazyField[Any], value: Any) -> Any:
        """A LazyField's value as the answer gave it, checked and decoded, and kept in its
        place."""
        quick = field.kind.quick
        if quick is not None and value.__class__ is str:
            try:  # the usual text, decoded without building the field's path
                decoded = quick(value)
            except ValueError:
                pass
            else:
                self._data[field.key] = decoded
                return decoded
        origin = self._origin
        # A nested model of an answer keeps its origin; one of a caller's dict (an origin
        # without a status) is decoded at once, as its parent is.
        later = origin if origin is not None and origin[0] is not None else None
        try:
            decoded = field.kind.decode_answer(
                value, (*self._path, field.key), self._check_type,
                origin[3] if origin is not None else False, later)  # [3]: discard
        except (ApiTypeError, ApiValueError) as exc:
            if not self._check_type:
                return value  # kept as it came, as unchecked answers keep what fails to convert
            holder = self._source if self._source is not None else {field.key: value}
            error = answer_error(exc, self._origin, holder)
            if error is exc:
                raise
            raise error from exc
        self._data[field.key] = decoded
        return decoded

    def _decode_pending(self) -> None:
        """Decode every LazyField value still pending: before anything that reads the whole
        model (writing it out, printing, comparing)."""
        if self._origin is None:
            return
        data = self._data
        for key, field in type(self)._lazy.items():
            value = data.get(key)
            if value is not None and value.__class__ is not field.decoded:
                self._read_pending(field, value)
        self._origin = None

    def _holds_unknown_keys(self) -> bool:
        extra = self._extra
        if extra is None:  # a model read from an answer, not looked at until now
            extra = self._extra = not self._data.keys() <= type(self)._keys
        return extra

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
        # Only called when normal lookup fails: unknown fields a server sent are readable too,
        # and an unread model (`unread.unread_model`) is read when its values are first used.
        if name == "_data":
            return self._read_now()
        if not name.startswith("_"):
            data = self._data
            if name in data:
                return data[name]
        raise ApiAttributeError(f"{type(self).__name__} has no attribute '{name}'")

    def __getitem__(self, name: str) -> Any:
        try:
            value = self._data[name]
        except KeyError:
            raise ApiKeyError(
                f"{type(self).__name__} has no field '{name}' set", path_to_item=[name]
            ) from None
        field = type(self)._lazy.get(name)
        if field is None or value is None or value.__class__ is field.decoded:
            return value
        return self._read_pending(field, value)

    def __setitem__(self, name: str, value: Any) -> None:
        data = self._data  # read first: an unread model reads its source
        self._source = None
        field = type(self)._fields.get(name)
        if field is None:
            self._extra = True
            data[name] = value
        else:
            data[name] = self._checked(field, value)

    def __contains__(self, name: object) -> bool:
        return name in self._data

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def get(self, name: str, default: Any = None) -> Any:
        """The field's value, or `default` when it is not set."""
        if name not in self._data:
            return default
        return self[name]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        if type(self) is not type(other):
            return False
        self._decode_pending()
        other._decode_pending()
        return self._data == other._data

    def __ne__(self, other: object) -> bool:
        result = self.__eq__(other)
        return result if result is NotImplemented else not result

    __hash__ = None  # type: ignore[assignment]


_JSON_SCALARS = (str, int, float, bool, type(None))


def _is_json(value: Any) -> bool:
    """Whether `value` is made of what `json.loads` gives alone (dicts, lists and scalars)."""
    if isinstance(value, _JSON_SCALARS):
        return True
    if isinstance(value, list):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_json(item) for key, item in value.items())
    return False

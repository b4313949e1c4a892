"""How a model is written out: plain dicts, JSON data and text, and what printing it shows.

Three forms, each for one reader:
- `to_dict()`: the fields that are set as Python values (date-times stay `datetime`, enums become
  their text, nested models dicts), what the generated clients' `to_dict()` gave.
- `to_dict(mode="json")` and `to_json()`: everything the model holds as JSON data, ready for
  `json.dumps`: date-times as RFC 3339 text (for a model unchanged since it was read, the very
  text the server sent), enums as text, unknown fields and read-only fields included.
- the request body (`_to_json`): the same JSON data less the read-only fields, which a server
  would refuse or ignore.

`print(model)`, `repr(model)` and `pprint(model)` show `to_dict()` pretty-printed, as the
generated clients did, so job logs read as they did before.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar, Optional

from airflow_python_sdk._errors import ApiValueError
from airflow_python_sdk._model_runtime.enums import ModelEnum
from airflow_python_sdk._model_runtime.kinds import (
    JsonWritable,
    Kind,
    ListKind,
    Path,
    to_json_value,
)

if TYPE_CHECKING:
    from airflow_python_sdk._model_runtime.fields import Field
    from airflow_python_sdk._model_runtime.origin import Origin

__all__ = ["ModelOutput", "plain_value"]

# How deep a model nested deeper than Python's recursion allows is printed.
_PRINTED_DEPTH = 32

# The forms `to_dict` gives.
_MODES = ("python", "json")


class ModelOutput(JsonWritable):
    """The writing-out half of the model base (see `Model`)."""

    __slots__ = ()

    # Set by Model; declared here for the type checker.
    _fields: ClassVar[dict[str, Field[Any]]]
    _to_convert: ClassVar[tuple[tuple[str, Kind[Any]], ...]]
    _read_only: ClassVar[frozenset[str]]
    _data: dict[str, Any]
    _check_type: bool
    _extra: Optional[bool]
    _source: Optional[dict[str, Any]]
    _origin: Optional[Origin]

    def to_dict(self, mode: str = "python") -> dict[str, Any]:
        """The fields that are set, as plain Python values (nested models become dicts).

        `mode="json"` gives JSON data instead (see `to_json`). In the default mode unknown
        fields are given as they came: walking into them could recurse as deep as a server
        nests them.
        """
        if mode == "json":
            return self._to_json((), keep_read_only=True)
        if mode != "python":
            raise ApiValueError(
                f"Invalid value for `mode`: {mode!r}; give one of {', '.join(map(repr, _MODES))}"
            )
        self._decode_pending()
        fields = type(self)._fields
        return {key: plain_value(value) if key in fields else value
                for key, value in self._data.items()}

    def to_json(self, indent: Optional[int] = None) -> str:
        """The model as JSON text: `json.dumps(model.to_dict(mode="json"))`.

        Date-times are RFC 3339 text (the server's own text while the model is unchanged since
        it was read), enums their text; unknown and read-only fields are included, so
        `Model.from_dict(json.loads(model.to_json()))` equals the model.
        """
        return json.dumps(self.to_dict(mode="json"), indent=indent, ensure_ascii=False)

    def to_str(self) -> str:
        """The fields as a pretty-printed dict."""
        import pprint  # only here: most jobs never print a model

        data = self.to_dict()
        try:
            return pprint.pformat(data)
        except RecursionError:
            # An unknown field nested hundreds deep: printed down to a depth, "[...]" below it.
            return pprint.pformat(data, depth=_PRINTED_DEPTH)

    def __repr__(self) -> str:
        # As the generated clients printed models: what `pprint(model.to_dict())` shows.
        return self.to_str()

    def _holds_unknown_keys(self) -> bool:
        raise NotImplementedError  # Model's

    def _decode_pending(self) -> None:
        raise NotImplementedError  # Model's

    def _encode(self, out: dict[str, Any], fresh: bool, path: Path, keep_read_only: bool) -> bool:
        """Write into `out` the fields JSON cannot take as they are (see `_to_json`); False
        when not done. Each generated model has its own, one step per field; this one, for
        models written by hand, leaves it to the checked writer."""
        return False

    def _to_json(self, path: Path = (), keep_read_only: bool = False) -> dict[str, Any]:
        """The fields that are set, ready for `json.dumps`; read-only fields are left out
        (a request body) unless `keep_read_only`."""
        if self._origin is not None:
            self._decode_pending()
        source = self._source
        if source is not None:
            # Unchanged since it was read: the JSON it came as, but for nested models, which
            # may have changed since and leave out their own read-only fields.
            out = source.copy()
        elif not self._check_type or self._holds_unknown_keys():
            return self._to_json_checked(path, keep_read_only)
        else:
            # Checked strings, numbers and booleans are JSON-ready as they are: copy the dict in
            # one go and convert only the fields whose kind needs it.
            out = self._data.copy()
        try:
            # The model's generated encoder; on anything it does not expect, the kinds decide.
            if self._encode(out, source is None, path, keep_read_only):
                return out
        except Exception:
            out = source.copy() if source is not None else self._data.copy()
        return self._to_json_by_kinds(out, source is None, path, keep_read_only)

    def _to_json_by_kinds(self, out: dict[str, Any], fresh: bool, path: Path,
                          keep_read_only: bool) -> dict[str, Any]:
        cls = type(self)
        data = self._data
        for key, kind in cls._to_convert:
            value = data.get(key)
            if value is None:
                continue
            where = (*path, key) if path else (cls.__name__, key)
            if fresh:
                out[key] = kind.to_json(value, where, keep_read_only)
            elif isinstance(value, JsonWritable):
                out[key] = value._to_json(where, keep_read_only)
            elif isinstance(kind, ListKind) and value:
                out[key] = kind.to_json(value, where, keep_read_only)
        if not keep_read_only:
            for key in cls._read_only:
                out.pop(key, None)
        return out

    def _to_json_checked(self, path: Path, keep_read_only: bool) -> dict[str, Any]:
        # Unchecked models may hold anything, and unknown keys anything a caller put there:
        # every value is looked at.
        cls = type(self)
        fields = cls._fields
        read_only = cls._read_only if not keep_read_only else frozenset()
        out: dict[str, Any] = {}
        for key, value in self._data.items():
            if key in read_only:
                continue
            where = (*path, key) if path else (cls.__name__, key)
            field = fields.get(key)
            if field is not None and value is not None and not field.kind.json_ready:
                out[key] = field.kind.to_json(value, where, keep_read_only)
            else:
                out[key] = to_json_value(value, where, keep_read_only)
        return out


def plain_value(value: Any) -> Any:
    """A known field's value as plain data: the spec's nesting is shallow, so this is too."""
    if isinstance(value, ModelOutput):
        return value.to_dict()
    if isinstance(value, ModelEnum):
        return value.value
    if isinstance(value, list):
        return [plain_value(entry) for entry in value]
    return value

"""A model's fields: the descriptors through which its values are read and assigned.

`Field` reads a value as the model holds it and checks and converts what is assigned.
`LazyField` (date-times, nested models) does the same, and also checks and decodes, when it is
first read, a value the model kept as the answer gave it (see `Model._read_pending`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, Optional, TypeVar, Union, overload

from airflow_python_sdk._model_runtime.kinds import Kind

if TYPE_CHECKING:
    from airflow_python_sdk._model_runtime.base import Model

__all__ = ["Field", "LazyField"]

T = TypeVar("T")


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


class LazyField(Field[T]):
    """A field a model read from an answer checks and decodes when it is first read (a
    date-time, a nested model): until then it holds the JSON value as it came.

    A value that is not what the spec says raises then, as the call would have:
    `ResponseTypeError` or `ResponseValueError` with the answer's status, method and URL, naming
    the field. With `_check_return_type=False` it is given as it came instead.
    """

    __slots__ = ("decoded", "quick")

    def __init__(self, key: str, kind: Kind[T], *, read_only: bool = False, doc: str = "") -> None:
        super().__init__(key, kind, read_only=read_only, doc=doc)
        if kind.decoded is None:
            raise TypeError(f"{type(kind).__name__} values are read with the answer")
        # The class of a decoded value: any other (but None) is still the answer's.
        self.decoded: type = kind.decoded
        self.quick = kind.quick

    @overload
    def __get__(self, instance: None, owner: type) -> Field[T]: ...

    @overload
    def __get__(self, instance: Model, owner: type) -> Optional[T]: ...

    def __get__(self, instance: Optional[Model], owner: type) -> Union[Field[T], Optional[T]]:
        if instance is None:
            return self
        data = instance._data
        value = data.get(self.key)
        if value is None or value.__class__ is self.decoded:
            return value  # type: ignore[return-value]
        quick = self.quick
        if quick is not None and value.__class__ is str:
            # The usual text, decoded here: reading every field of an answer costs what it did
            # when the answer was decoded whole (Model._read_pending does the same, and the rest).
            try:
                decoded = quick(value)
            except ValueError:
                pass
            else:
                data[self.key] = decoded
                return decoded
        return instance._read_pending(self, value)  # type: ignore[no-any-return]

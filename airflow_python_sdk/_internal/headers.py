"""An answer's headers as the SDK keeps them: names case-insensitive (RFC 9110), values text.

The SDK's own small type, so that the exceptions (the bottom layer) need no HTTP library:
`e.headers["retry-after"]` finds `Retry-After`, and a header sent twice reads as its values
joined with ", ", as HTTP allows. It pickles and copies as a plain object.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Union

__all__ = ["Headers"]


class Headers(Mapping[str, str]):
    """Read-only, case-insensitive headers; iteration gives the names as they were sent."""

    def __init__(self, headers: Union[Mapping[str, str], Iterable[tuple[str, str]]] = ()) -> None:
        pairs = headers.items() if isinstance(headers, Mapping) else headers
        # Lower-cased name -> (the name as sent, its value).
        self._by_name: dict[str, tuple[str, str]] = {}
        for name, value in pairs:
            key = name.lower()
            known = self._by_name.get(key)
            self._by_name[key] = (name, value) if known is None else (known[0],
                                                                       f"{known[1]}, {value}")

    def __getitem__(self, name: str) -> str:
        if not isinstance(name, str):
            raise KeyError(name)
        return self._by_name[name.lower()][1]

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._by_name

    def __iter__(self) -> Iterator[str]:
        return (name for name, _ in self._by_name.values())

    def __len__(self) -> int:
        return len(self._by_name)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mapping):
            return NotImplemented
        return {key: value for key, (_, value) in self._by_name.items()} == {
            str(name).lower(): value for name, value in other.items()
        }

    __hash__ = None  # type: ignore[assignment]  # mutable-looking mappings are not hashable

    def __repr__(self) -> str:
        return f"Headers({dict(self.items())!r})"

"""A call's request: its arguments checked and encoded (`build_request`; nothing is sent when
one is wrong, and the error names it), into a `PreparedRequest` whose path segments and query
are percent-encoded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast
from urllib.parse import quote

from airflow_python_sdk._errors import ApiTypeError, ApiValueError
from airflow_python_sdk._internal.datetimes import format_datetime, is_aware, parse_datetime
from airflow_python_sdk._model_runtime import (
    BOOLEAN,
    DATETIME,
    INTEGER,
    NUMBER,
    STRING,
    EnumKind,
    Kind,
    ListKind,
    Model,
    ModelKind,
    to_json_value,
)
from airflow_python_sdk._operation.endpoint import Endpoint, Param

__all__ = ["PreparedRequest", "build_request", "encode_path_segment", "encode_query"]

# Characters a path segment keeps as they are (RFC 3986's unreserved ones): a text is made only
# of them when nothing is left once they are stripped.
_UNRESERVED = "._~-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class PreparedRequest:
    """A request ready to send: the path and query are already percent-encoded."""

    __slots__ = ("body", "headers", "method", "path", "query")

    def __init__(self, method: str, path: str, query: list[tuple[str, str]],
                 headers: dict[str, str], body: Any = None) -> None:
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def path_and_query(self) -> str:
        if not self.query:
            return self.path
        return self.path + "?" + encode_query(self.query)


def encode_query(pairs: Sequence[tuple[object, object]]) -> str:
    """A query string: names and values percent-encoded ("+" as %2B), commas left as they are
    so that a list reads `update_mask=a,b`."""
    return "&".join(
        f"{quote(str(name), safe='')}={quote(str(value), safe=',')}" for name, value in pairs
    )


def encode_path_segment(value: str) -> str:
    """Percent-encode `value` as one whole path segment that no HTTP stack can reinterpret.

    "/" "?" "#" "%" and "+" are escaped; the dot segments "." and ".." (which URL normalisation
    would collapse, changing the path) are escaped too.
    """
    if value and not value.strip(_UNRESERVED) and value not in (".", ".."):
        return value  # nothing to escape: the usual dag and task ids
    encoded = quote(value, safe="")
    if encoded in (".", ".."):
        return encoded.replace(".", "%2E")
    return encoded




def build_request(endpoint: Endpoint, arguments: Mapping[str, Any], check: bool) -> PreparedRequest:
    """The request one call makes; raises ApiTypeError/ApiValueError before anything is sent."""
    path = endpoint.path
    query: list[tuple[str, str]] = []
    body: Any = None
    for param in endpoint.params:
        value = arguments.get(param.name)
        if value is None:
            if param.required:
                raise ApiValueError(
                    f"{endpoint.operation_id}: the required argument `{param.name}` is None",
                    path_to_item=[param.name],
                )
            continue
        where = (endpoint.operation_id, param.name)
        if param.location == "body":
            body = _body_value(param, value, where, check)
            continue
        if param.explode and isinstance(param.kind, ListKind):
            query.extend((param.name, text) for text in _exploded(param, value, where, check))
            continue
        text = _text_value(param, value, where, check)
        if param.refused:
            _check_not_refused(param, text, where)
        if check and (param.minimum is not None or param.maximum is not None):
            _check_bounds(param, value, where)
        try:
            text.encode()
        except UnicodeEncodeError:
            # A lone surrogate cannot be sent as UTF-8: refuse it here, naming the argument.
            raise ApiValueError(
                f"Invalid value for `{param.name}` of {endpoint.operation_id}(): {value!r} is "
                "not valid Unicode text (it holds a lone surrogate)",
                path_to_item=where,
            ) from None
        if param.location == "path":
            if not text:
                # An empty segment makes "//", which proxies and servers merge: another path.
                raise ApiValueError(
                    f"Invalid value for `{param.name}` of {endpoint.operation_id}(): it is empty",
                    path_to_item=where,
                )
            path = path.replace("{" + param.name + "}", encode_path_segment(text))
        else:
            query.append((param.name, text))
    headers = {"Accept": endpoint.accept}
    if body is not None and endpoint.content_type:
        headers["Content-Type"] = endpoint.content_type
    return PreparedRequest(endpoint.method, path, query, headers, body)


def _check_not_refused(param: Param, text: str, where: tuple[str, str]) -> None:
    for refused, why in param.refused:
        if text == refused:
            raise ApiValueError(
                f"Invalid value for `{param.name}` of {where[0]}(): {refused!r} is refused: "
                f"{why}", path_to_item=where)


def _check_bounds(param: Param, value: Any, where: tuple[str, str]) -> None:
    """The spec's minimum and maximum of a number (a value of another type was refused or
    accepted by its type already)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    if param.minimum is not None and value < param.minimum:
        bound = f"at least {_number(param.minimum)}"
    elif param.maximum is not None and value > param.maximum:
        bound = f"at most {_number(param.maximum)}"
    else:
        return
    raise ApiValueError(
        f"Invalid value for `{param.name}` of {where[0]}(): {value!r}; it must be {bound}",
        path_to_item=where)


def _number(bound: float) -> str:
    return str(int(bound)) if float(bound).is_integer() else str(bound)


def _exploded(param: Param, value: Any, where: tuple[str, str], check: bool) -> list[str]:
    """The texts of a list query parameter sent one pair per item."""
    kind = cast(ListKind[Any], param.kind)
    if not isinstance(value, (list, tuple, set, frozenset)):
        if check:
            raise _wrong_type(where, kind, value)
        value = [value]
    item = Param(param.name, param.location, kind.item)
    return [_checked_text(item, one, where, check, param.name) for one in value]


def _checked_text(param: Param, value: Any, where: tuple[str, str], check: bool,
                  name: str) -> str:
    text = _text_value(param, value, where, check)
    try:
        text.encode()
    except UnicodeEncodeError:
        raise ApiValueError(
            f"Invalid value for `{name}` of {where[0]}(): {value!r} is not valid Unicode text",
            path_to_item=where,
        ) from None
    return text


def _enum_text(kind: EnumKind[Any], value: Any, where: tuple[str, str]) -> str:
    """An enum query value: a member, or text naming a value the enum lists.

    A filter naming a state the SDK does not know is more likely a typo than a newer server's
    state: it is refused here (pass `TaskState("new_state")` to send one on purpose).
    """
    if isinstance(value, kind.enum_class):
        return str(value.value)
    if isinstance(value, str):
        if value in kind.enum_class._value2member_map_:
            return value
        known = ", ".join(str(v) for v in kind.enum_class._value2member_map_)
        raise ApiValueError(
            f"Invalid value for `{where[1]}` of {where[0]}(): {value!r} is not a "
            f"{kind.name} ({known})",
            path_to_item=where,
        )
    raise _wrong_type(where, kind, value, (str,))


def _body_value(param: Param, value: Any, where: tuple[str, str], check: bool) -> Any:
    """The body argument as JSON-ready data; `ApiValueError` naming it when it is nested too
    deeply to be written (an unknown field a server sent hundreds deep, say), not a crash."""
    try:
        return _body_json(param, value, where, check)
    except RecursionError:
        raise ApiValueError(
            f"Invalid value for `{where[0]}.{where[1]}`: it is nested too deeply to be written "
            "as JSON",
            path_to_item=where,
        ) from None


def _body_json(param: Param, value: Any, where: tuple[str, str], check: bool) -> Any:
    kind = param.kind
    if check and isinstance(kind, ModelKind) and not isinstance(value, (kind.model_class, dict)):
        raise ApiTypeError(
            f"Invalid type for `{where[0]}.{where[1]}`: expected {kind.name}, "
            f"got {type(value).__name__}",
            path_to_item=where,
        )
    if isinstance(kind, ModelKind) and isinstance(value, dict):
        value = kind.convert(value, where, check)
    if isinstance(value, Model):
        sent = value._to_json((type(value).__name__,))
        # A model whose safe defaults are always sent (ClearTaskInstance's dry_run, ...) gets
        # them here too when it was read from a dict rather than constructed, and for a null:
        # a null dry_run means a dry run, never a value a server could read otherwise.
        defaults = getattr(type(value), "_sent_defaults", None)
        if defaults and isinstance(sent, dict):
            given = {name: item for name, item in sent.items()
                     if item is not None or name not in defaults}
            sent = {**defaults, **given}
        return sent
    return to_json_value(value, where)


def _text_value(param: Param, value: Any, where: tuple[str, str], check: bool) -> str:
    """The text a path or query parameter is sent as."""
    kind = param.kind
    if isinstance(value, bool):
        if kind is BOOLEAN or bool in param.legacy_types or not check:
            return "true" if value else "false"
        raise _wrong_type(where, kind, value)
    if kind is DATETIME:
        return _datetime_text(value, where, check)
    if isinstance(kind, EnumKind) and check:
        return _enum_text(kind, value, where)
    if isinstance(kind, ListKind):
        if isinstance(value, (list, tuple)):
            items = [_text_value(Param(param.name, param.location, kind.item), item, where, check)
                     for item in value]
            return ",".join(items)
        if check:
            raise _wrong_type(where, kind, value)
        return str(value)
    if not check:
        return str(value)
    if kind is STRING and isinstance(value, str):
        return value
    if kind is INTEGER and isinstance(value, int):
        return str(value)
    if kind is NUMBER and isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, param.legacy_types):
        return str(value)
    raise _wrong_type(where, kind, value, param.legacy_types)


def _datetime_text(value: Any, where: tuple[str, str], check: bool) -> str:
    if isinstance(value, str):
        try:
            parsed = parse_datetime(value)
        except ValueError as exc:
            raise ApiValueError(
                f"Invalid value for `{where[1]}`: {exc}; give an RFC 3339 date-time with an "
                "offset (e.g. 2026-11-26T00:00:00+00:00)",
                path_to_item=where,
            ) from None
    elif isinstance(value, datetime):
        parsed = value
    elif not check:
        return str(value)
    else:
        raise _wrong_type(where, DATETIME, value, (str,))
    if not is_aware(parsed):
        # A naive date-time could name a different run than intended: better to stop here.
        raise ApiValueError(
            f"Invalid value for `{where[1]}`: {value!r} has no time zone, so it could address "
            "the wrong run; pass an aware datetime (datetime(..., tzinfo=timezone.utc)) or a "
            "string with an offset (2026-11-26T00:00:00+00:00)",
            path_to_item=where,
        )
    return format_datetime(parsed)


def _wrong_type(where: tuple[str, str], kind: Kind[Any], value: Any,
                legacy: tuple[type, ...] = ()) -> ApiTypeError:
    expected = " or ".join([kind.name, *(t.__name__ for t in legacy)])
    return ApiTypeError(
        f"Invalid type for `{where[1]}` of {where[0]}(): expected {expected}, "
        f"got {type(value).__name__} ({value!r})",
        path_to_item=where,
    )

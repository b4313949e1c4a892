"""Answers as models: the one place a 2xx body becomes the type an operation promises.

A small value object: it knows the configuration's `discard_unknown_keys` and nothing else of
the client, so dialects map answers without reaching back into `ApiClient`.
"""

from __future__ import annotations

import json
from contextvars import ContextVar
from functools import partial
from typing import Any, Callable, Optional, Protocol

from airflow_python_sdk._errors import (
    ApiException,
    ApiTypeError,
    ApiValueError,
    ResponseTypeError,
    ResponseValueError,
)
from airflow_python_sdk._model_runtime import Model, Origin
from airflow_python_sdk.transport import Response

__all__ = ["Answered", "Codec"]

# The size from which a taken body is dropped before parsing (smaller ones are not worth it).
_TAKE_FROM = 1 << 20


class Answered(Protocol):
    """What the codec reads of an answer (a transport `Response`, or the original client's
    `RESTResponse`)."""

    status: int

    @property
    def headers(self) -> Any: ...

    @property
    def data(self) -> Optional[bytes]: ...


# The answer `Codec.mapped` is mapping, in this thread (or task): models that `to_type` makes
# meanwhile keep it as their origin. Real servers' dialects reshape an answer before it becomes
# a model, in many functions between `mapped` and `to_type`; the answer is known at both ends.
_MAPPING: ContextVar[Optional[tuple[int, Optional[str], Optional[str]]]] = ContextVar(
    "airflow_python_sdk_answer_mapped", default=None)


class Codec:
    """Reads JSON answers as models; `discard_unknown_keys` drops fields the spec lacks."""

    __slots__ = ("discard_unknown_keys",)

    def __init__(self, discard_unknown_keys: bool = False) -> None:
        self.discard_unknown_keys = discard_unknown_keys

    def read(
        self,
        response: Answered,
        response_type: Optional[type],
        check: bool,
        *,
        text_field: Optional[str] = None,
        method: Optional[str] = None,
        url: Optional[str] = None,
        take_body: bool = False,
        check_document: Optional[Callable[[Any], None]] = None,
    ) -> Any:
        """The body of a 2xx answer as `response_type`; a clear error when it cannot be.

        `take_body`: the caller needs the answer's body no more, so the codec may drop it from
        a transport `Response` (`data` becomes None) once it has its text. Errors name `url`,
        or the answer's own URL when it has one.
        `check_document`: called with the parsed JSON before it becomes a model; its
        `ApiValueError` is the answer's `ResponseValueError` (a page with too many items).
        """
        if response_type is None:
            return None
        body = response.data or b""
        if text_field is not None and (response.headers.get("Content-Type") or "").lower(
        ).startswith("text/plain"):
            assert issubclass(response_type, Model)
            return response_type._from_json(
                {text_field: body.decode("utf-8", errors="replace")}, check, False,
                (response_type.__name__,),
            )
        if response_type is str:
            return body.decode("utf-8", errors="replace")
        if not body:
            raise ResponseValueError("the body is empty", status=response.status, body=body,
                                     method=method, url=url or _url_of(response))
        shown: Any = body  # what errors show of the answer
        try:
            # JSON between systems is UTF-8 (RFC 8259): decoding it directly skips json's
            # detection of other encodings, a tenth of the cost of reading a task instance.
            text = body.decode("utf-8") if isinstance(body, bytes) else body
            if take_body and len(text) >= _TAKE_FROM and isinstance(response, Response):
                # A large answer (a whole log): its bytes are let go before parsing, so that
                # the bytes, their text and the parsed document are never all held at once.
                response.data = None
                shown = text
                del body
            document = _parse_json(text)
        except (ValueError, RecursionError) as exc:
            raise ResponseValueError(f"the body is not JSON ({_first_line(exc)})",
                                     status=response.status, body=shown, method=method,
                                     url=url or _url_of(response)) from None
        # Where the model's date-times and nested models, decoded when first read, say they
        # came from if they fail (a plain tuple: see `Origin`).
        origin: Origin = (response.status, method, url or _url_of(response),
                          self.discard_unknown_keys)
        try:  # the usual answer without the wrapping of `mapped`, which only errors need
            if check_document is not None:
                check_document(document)
            return self.to_type(document, response_type, check, origin)
        except ApiException:
            raise
        except (ApiTypeError, ApiValueError) as exc:
            error = exc
        return self.mapped(partial(_reraise, error), status=response.status, body=shown,
                           method=method, url=url or _url_of(response))

    def to_type(self, document: Any, response_type: type, check: bool,
                origin: Optional[Origin] = None) -> Any:
        """A parsed JSON document as `response_type` (a model class, or a plain type).

        With the `origin` of the answer (given, or the one `mapped` is mapping), a model's
        date-times and nested models are checked and decoded when first read, and fail then
        with that answer's `ResponseTypeError` or `ResponseValueError`; without, they are
        decoded here.
        """
        if origin is None:
            mapping = _MAPPING.get()
            if mapping is not None:
                origin = (*mapping, self.discard_unknown_keys)
        if issubclass(response_type, Model):
            if not isinstance(document, dict):
                raise ApiTypeError(
                    f"Invalid type for `{response_type.__name__}`: expected a JSON object, got "
                    f"{type(document).__name__}",
                    path_to_item=[response_type.__name__],
                )
            return response_type._from_json(
                document, check, self.discard_unknown_keys, (response_type.__name__,), origin,
            )
        if check and not isinstance(document, response_type):
            raise ApiTypeError(
                f"Invalid type for the answer: expected {response_type.__name__}, got "
                f"{type(document).__name__}"
            )
        return document

    @staticmethod
    def mapped(build: Any, *, status: int, body: Any, method: Optional[str],
               url: Optional[str]) -> Any:
        """`build()`, the mapping of a 2xx answer; its type and value errors name the answer, and
        so do those of the values its models decode when first read."""
        token = _MAPPING.set((status, method, url))
        try:
            return build()
        except ApiException:
            raise
        except ApiTypeError as exc:
            raise ResponseTypeError(exc, status=status, body=body, method=method,
                                    url=url) from exc
        except ApiValueError as exc:
            raise ResponseValueError(str(exc), status=status, body=body,
                                     path_to_item=exc.path_to_item, method=method,
                                     url=url) from exc
        finally:
            _MAPPING.reset(token)


# `json.loads(text)` skips whitespace before and after the document with a regular expression,
# twice, in Python: for a task instance that is an eighth of the parsing. An answer almost always
# begins with its document and ends with it or with a newline (Flask adds one), so the standard
# library's C scanner reads it directly (`JSONDecoder.raw_decode`); anything else, and every
# error, goes to `json.loads`, which decides and words the error as it always has.
_raw_decode = json.JSONDecoder().raw_decode
_JSON_WHITESPACE = " \t\n\r"  # RFC 8259, section 2 (str.isspace() would take more)


def _parse_json(text: str) -> Any:
    """`json.loads(text)`: the same document, the same errors."""
    try:
        document, end = _raw_decode(text)
    except ValueError:
        return json.loads(text)  # whitespace before the document, or no JSON: it says which
    if end != len(text) and text[end:].strip(_JSON_WHITESPACE):
        return json.loads(text)  # something after the document: json.loads refuses it
    return document


def _url_of(response: Answered) -> Optional[str]:
    # A transport `Response` knows the URL asked (redacted); the original client's
    # `RESTResponse` does not.
    return getattr(response, "url", None)


def _reraise(error: Exception) -> Any:
    raise error


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__

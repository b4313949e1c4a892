"""Answers as models: the one place a 2xx body becomes the type an operation promises.

A small value object: it knows the configuration's `discard_unknown_keys` and nothing else of
the client, so dialects map answers without reaching back into `ApiClient`.
"""

from __future__ import annotations

import json
from functools import partial
from typing import Any, Callable, Optional, Protocol

from airflow_python_sdk._errors import (
    ApiException,
    ApiTypeError,
    ApiValueError,
    ResponseTypeError,
    ResponseValueError,
)
from airflow_python_sdk._model_runtime import Model
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
            document = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise ResponseValueError(f"the body is not JSON ({_first_line(exc)})",
                                     status=response.status, body=shown, method=method,
                                     url=url or _url_of(response)) from None
        try:  # the usual answer without the wrapping of `mapped`, which only errors need
            if check_document is not None:
                check_document(document)
            return self.to_type(document, response_type, check)
        except ApiException:
            raise
        except (ApiTypeError, ApiValueError) as exc:
            error = exc
        return self.mapped(partial(_reraise, error), status=response.status, body=shown,
                           method=method, url=url or _url_of(response))

    def to_type(self, document: Any, response_type: type, check: bool) -> Any:
        """A parsed JSON document as `response_type` (a model class, or a plain type)."""
        if issubclass(response_type, Model):
            if not isinstance(document, dict):
                raise ApiTypeError(
                    f"Invalid type for `{response_type.__name__}`: expected a JSON object, got "
                    f"{type(document).__name__}",
                    path_to_item=[response_type.__name__],
                )
            return response_type._from_json(
                document, check, self.discard_unknown_keys, (response_type.__name__,),
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
        """`build()`, the mapping of a 2xx answer; its type and value errors name the answer."""
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


def _url_of(response: Answered) -> Optional[str]:
    # A transport `Response` knows the URL asked (redacted); the original client's
    # `RESTResponse` does not.
    return getattr(response, "url", None)


def _reraise(error: Exception) -> Any:
    raise error


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__

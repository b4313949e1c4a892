"""Headers checked before they are sent: http.client refuses a value with CR, LF or NUL, or one
outside Latin-1, with a bare ValueError or UnicodeEncodeError that quotes the value, which may be
a credential. Refused here instead, by name only, before anything is sent."""

from __future__ import annotations

import re
from collections.abc import Mapping

from airflow_python_sdk._errors import ApiValueError

__all__ = ["check_headers"]

# Latin-1 without the control characters that end or split a header line (HTAB is allowed).
_SENDABLE_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")
_SENDABLE_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def check_headers(headers: Mapping[str, str]) -> None:
    """`ApiValueError` naming the first header that cannot be sent as it is."""
    for name, value in headers.items():
        if not isinstance(name, str) or not _SENDABLE_NAME.fullmatch(name):
            shown = repr(name)[:60]
            raise ApiValueError(f"The header name {shown} is not a valid HTTP header name; "
                                "nothing was sent", path_to_item=["headers"])
        if isinstance(value, str) and not _SENDABLE_VALUE.fullmatch(value):
            # The value is not quoted: it may be a credential.
            raise ApiValueError(
                f"The header {name!r} has characters no HTTP header can carry (CR, LF, NUL, other "
                "control characters, or letters outside Latin-1); nothing was sent",
                path_to_item=["headers", name],
            )

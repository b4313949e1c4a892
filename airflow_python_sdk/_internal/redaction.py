"""Text safe to show: URLs without the secrets of their user-info, and secrets that show
themselves as "***".

Beside the layers and importing nothing of the package, so that the configuration, the
transport, the dialects and the command line all show URLs the same way.
"""

from __future__ import annotations

__all__ = ["Secret", "SecretBytes", "redact_url", "userinfo_ends_early"]

_URL_ENDS = "/?#"


def _authority_bounds(url: str) -> tuple[int, int]:
    """Where the authority (user-info and host) of `url` starts and ends: after "//", up to
    the next "/", "?" or "#"."""
    start = url.find("//")
    start = 0 if start < 0 else start + 2
    end = len(url)
    for mark in _URL_ENDS:
        found = url.find(mark, start)
        if found >= 0:
            end = min(end, found)
    return start, end


def userinfo_ends_early(url: str) -> bool:
    """Whether `url` holds an "@" after its authority's end: its user-info (a password) has a
    "/", "?" or "#" that is not percent-encoded, so the URL's host begins inside the password,
    where no parser and no redaction can find where the password ends."""
    return "@" in url[_authority_bounds(url)[1]:]


def redact_url(url: str) -> str:
    """`url` with the password of its user-info replaced by "***" (`user:***@host`), and a user
    name given alone (often a token: `https://TOKEN@host`) replaced by "***".

    Works on text that is not a valid URL too (an unclosed `[` of an IPv6 host, say): only the
    part between "//" and the next "/", "?" or "#" is looked at.
    """
    if "@" not in url:
        return url
    start, end = _authority_bounds(url)
    authority = url[start:end]
    if "@" not in authority:
        return url
    userinfo, host = authority.rsplit("@", 1)
    user, has_password, _ = userinfo.partition(":")
    shown = f"{user}:***" if has_password else "***"
    return f"{url[:start]}{shown}@{host}{url[end:]}"


class Secret(str):
    """Text that is a secret (a header's credentials): itself everywhere it is used, "***"
    wherever it is shown by repr, as error reporters show a traceback's local variables."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'***'"


class SecretBytes(bytes):
    """Bytes that hold a secret (a request body with a password), shown by repr as b'***'."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "b'***'"

"""A pool manager that reuses the connection pool of each base URL without parsing every URL.

urllib3's `PoolManager.urlopen` parses the whole URL on every call (a character-by-character
pass over the path) and builds a pool key from every pool setting to find the pool: together
more than a tenth of a loopback request's time. The SDK's URLs are already encoded and always
start with one of few bases (`scheme://host:port`), so the pool of a base is kept in a dict and
only the path and query go to it. Everything else is urllib3's: the pools are the ones
`connection_from_url` makes (with the answer's deadline, see deadline.py), a pool urllib3
closed or evicted is looked up again, and a redirect is followed by urllib3's own cross-host
logic (`PoolManager.urlopen`), handed the answer already received.
"""

from __future__ import annotations

import threading
from typing import Any, Optional

import urllib3
from urllib3.connectionpool import HTTPConnectionPool

from airflow_python_sdk.transport.versions import URLLIB3_MAJOR

__all__ = ["ReusingPoolManager", "split_url"]

# A path that could change under urllib3's normalisation ("/./", "/../") or carries a fragment
# takes urllib3's own path, which parses it.
_UNUSUAL = ("/.", "#")


def split_url(url: str) -> Optional[tuple[str, str]]:
    """(base, path and query) of an absolute http(s) URL, or None when it is unusual."""
    scheme_end = url.find("://")
    if scheme_end <= 0 or url[:scheme_end].lower() not in ("http", "https"):
        return None
    path_start = url.find("/", scheme_end + 3)
    if path_start < 0:
        return None
    base, target = url[:path_start], url[path_start:]
    if "?" in base or "@" in base or any(mark in target for mark in _UNUSUAL):
        return None
    return base, target


class _Answered:
    """A stand-in pool whose next answer is one already received: the redirect it holds is
    followed by `PoolManager.urlopen`'s own logic. Everything else is the real pool's."""

    def __init__(self, pool: HTTPConnectionPool, response: Any) -> None:
        self._pool = pool
        self._response = response

    def urlopen(self, *args: Any, **kwargs: Any) -> Any:
        return self._response

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pool, name)


class ReusingPoolManager(urllib3.PoolManager):
    """A `PoolManager` that keeps each base URL's pool at hand (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._by_base: dict[str, HTTPConnectionPool] = {}
        # The redirect answer handed to urllib3's redirect logic, per thread (see _Answered).
        self._answered = threading.local()

    def _pool_of(self, base: str) -> HTTPConnectionPool:
        pool = self._by_base.get(base)
        # A closed pool (cleared, or evicted from urllib3's container) has no queue left.
        if pool is None or pool.pool is None:
            pool = self.connection_from_url(base)
            self._by_base[base] = pool
        return pool

    def connection_from_host(self, *args: Any, **kwargs: Any) -> Any:
        answered = getattr(self._answered, "pool", None)
        if answered is not None:
            self._answered.pool = None
            return answered
        return super().connection_from_host(*args, **kwargs)

    def urlopen(self, method: str, url: str, redirect: bool = True, **kw: Any) -> Any:  # type: ignore[override]
        split = split_url(url)
        if split is None:
            return super().urlopen(method, url, redirect=redirect, **kw)
        base, target = split
        pool = self._pool_of(base)
        kw.setdefault("headers", self.headers)
        # As PoolManager.urlopen does: redirects are followed here, across hosts, not by the pool.
        kw["assert_same_host"] = False
        kw["redirect"] = False
        if URLLIB3_MAJOR < 2:
            # 1.26's pool knows only the path it was given: the answer keeps the whole URL, as
            # PoolManager.urlopen has it do, so that a stream's errors can say where it came from.
            kw["request_url"] = url
        response = pool.urlopen(method, target, **kw)
        if not (redirect and response.get_redirect_location()):
            return response
        # urllib3 follows it: the answer reaches its redirect logic through `_Answered`, which
        # the next `connection_from_host` call gives; the hops after it come back here.
        self._answered.pool = _Answered(pool, response)
        del kw["redirect"]  # given as the argument: PoolManager.urlopen sets the entry itself
        try:
            return super().urlopen(method, url, redirect=redirect, **kw)
        finally:
            self._answered.pool = None

    def clear(self) -> None:
        self._by_base.clear()
        super().clear()

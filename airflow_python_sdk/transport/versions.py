"""Differences between the urllib3 versions the SDK supports (1.26 and 2.x)."""

from __future__ import annotations

from urllib3._version import __version__ as URLLIB3_VERSION

__all__ = ["URLLIB3_MAJOR", "URLLIB3_VERSION"]

URLLIB3_MAJOR = int(URLLIB3_VERSION.split(".", 1)[0])

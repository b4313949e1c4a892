"""Fixtures every test folder may use."""

from __future__ import annotations

from typing import Iterator

import pytest
from support import ports


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A port on 127.0.0.1 that refuses every connection during the test."""
    with ports.refused_port() as port:
        yield port

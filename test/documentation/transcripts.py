"""A transcript's commands and the output shown under each, compared with what ran printed.

A line `...` stands for any lines (none included), `...` within a line for any text; trailing
spaces and blank lines at the end do not count.
"""

from __future__ import annotations

import re

from documentation.reader import BlockFailed

from tools.docs.markdown import Block


def commands(text: str) -> list[tuple[str, list[str]]]:
    """A transcript's commands, each with the output lines shown under it."""
    found: list[tuple[str, list[str]]] = []
    for line in text.rstrip("\n").split("\n"):
        if line.startswith("$ "):
            found.append((line[2:], []))
        elif found:
            found[-1][1].append(line)
    for _, output in found:
        while output and not output[-1].strip():
            output.pop()
    return found


def matches(expected: list[str], actual: list[str]) -> bool:
    """Whether the lines match, `...` lines standing for any lines and `...` in a line for any
    text."""
    if not expected:
        return not actual
    head, rest = expected[0], expected[1:]
    if head.strip() == "...":
        return any(matches(rest, actual[n:]) for n in range(len(actual) + 1))
    if not actual:
        return False
    pattern = ".*".join(re.escape(part) for part in head.rstrip().split("..."))
    return re.fullmatch(pattern, actual[0].rstrip()) is not None and matches(rest, actual[1:])


def compare(block: Block, command: str, expected: list[str], printed: str) -> None:
    actual = printed.rstrip("\n").split("\n") if printed.strip() else []
    while actual and not actual[-1].strip():
        actual.pop()
    if not matches(expected, actual):
        raise BlockFailed(
            f"{block.where}: `{command}` printed something else.\n--- shown\n"
            + "\n".join(expected) + "\n--- printed\n" + "\n".join(actual))

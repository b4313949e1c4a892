"""Links of the project's Markdown that lead nowhere (to a file that does not exist, or to an
anchor its page does not have), and tables broken in two. Addresses on the web are not followed
(no network in tests)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from .markdown import ROOT, anchors, prose_lines, read_links, shown

__all__ = ["broken_links", "broken_tables", "pages"]

_EXTERNAL = ("http://", "https://", "mailto:")


def pages(root: Path = ROOT) -> list[Path]:
    """The Markdown a user reads: README.md, docs/*.md, CHANGELOG.md, integration/**/README.md."""
    found = [root / "README.md", *sorted((root / "docs").glob("*.md")), root / "CHANGELOG.md"]
    return found + sorted((root / "integration").rglob("README.md"))


def broken_links(paths: list[Path]) -> list[str]:
    """One line per broken link: `file:line: target: why`."""
    problems: list[str] = []
    cache: dict[Path, set[str]] = {}
    for path in paths:
        for link in read_links(path):
            if link.target.startswith(_EXTERNAL):
                continue
            name, _, anchor = link.target.partition("#")
            target = (path.parent / unquote(name)).resolve() if name else path.resolve()
            where = f"{shown(path)}:{link.line}"
            if not target.exists():
                problems.append(f"{where}: {link.target}: no such file")
            elif anchor and target.suffix == ".md":
                known = cache.setdefault(target, anchors(target))
                if unquote(anchor) not in known:
                    problems.append(f"{where}: {link.target}: no heading or anchor "
                                    f"#{anchor} in {target.name}")
    return problems


_TABLE_SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def broken_tables(paths: list[Path]) -> list[str]:
    """Table rows that start a paragraph without a header and separator above them: what is
    left of a table a blank line cut in two, which Markdown shows as a line of text."""
    problems: list[str] = []
    for path in paths:
        lines = prose_lines(path)
        for (_, previous), (number, line), (_, following) in zip(lines, lines[1:], lines[2:]):
            if (line.startswith("|") and not previous.strip()
                    and not _TABLE_SEPARATOR.match(following)):
                problems.append(f"{shown(path)}:{number}: a table row without the "
                                "table's header (a blank line above it cuts the table in two)")
    return problems

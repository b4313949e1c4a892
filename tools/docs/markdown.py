"""The code blocks of the project's Markdown, what each one is for, and its links and anchors.

Every fenced block of README.md and docs/*.md runs in the test suite (test/documentation/), or
says in the Markdown why it does not. What a block is, is read from the block itself and from
the one HTML comment that may stand on the line right before it (invisible on GitHub):

- `<!-- docs: not run: REASON -->`: the block is not run; the reason is required.
- `<!-- docs: file: PATH -->`: the block is the content of the file PATH (in the directory the
  page's blocks run in), which later blocks use.
- `<!-- docs: output -->`: the block is what the runnable block before it prints.

A Python block whose first line is a comment naming a `.py` file (`# myproject/rescue.py`) is
that file; a file named `test_*.py`, or a block that defines `test_` functions, runs under
pytest. Other Python blocks run as scripts. A `sh` block runs in bash; a block whose lines start
with `$ ` is a transcript: each command runs and prints what the lines under it show.

`<!-- docs: real airflow -->` before a block says it needs a real Airflow: it runs in the
real-Airflow suite (against the suite's Airflow 2 for a host ending in `/api/v1`, its Airflow 3
otherwise, unless the page starts one), not in the fast one. A line `<!-- docs: real airflow from
here -->` that stands before no block says so of every block after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

__all__ = [
    "Block",
    "DocsError",
    "Link",
    "anchors",
    "prose_lines",
    "read_blocks",
    "read_links",
    "shown",
]

ROOT = Path(__file__).resolve().parents[2]
_FENCE = re.compile(r"^(?P<fence>```+|~~~+)(?P<info>[^`\n]*)$")
_DIRECTIVE = re.compile(r"^<!--\s*docs:\s*(?P<body>.*?)\s*-->\s*$")
_PATH_COMMENT = re.compile(r"# (?P<path>[\w./-]+\.py)\n")
_TEST_FUNCTION = re.compile(r"^def test_\w*\(", re.MULTILINE)
_SHELLS = ("sh", "bash", "shell", "console")
REAL_AIRFLOW = "real airflow"
REAL_AIRFLOW_FROM_HERE = "real airflow from here"


class DocsError(ValueError):
    """A page's blocks or directives cannot be understood: names the file and line."""


@dataclass(frozen=True)
class Block:
    """One fenced code block of a Markdown page."""

    path: Path
    line: int  # of the opening fence, counted from 1
    info: str  # the fence's info string: "python", "sh", "" ...
    text: str
    kind: str  # see `_kind`
    argument: str = ""  # the directive's text: the reason not to run, or the file's path
    real_airflow: bool = False  # needs a real Airflow: runs in the real-Airflow suite

    @property
    def where(self) -> str:
        return f"{shown(self.path)}:{self.line}"

    @property
    def runs(self) -> bool:
        return self.kind != "not run"


def shown(path: Path) -> str:
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def read_blocks(path: Path) -> list[Block]:
    """The page's fenced blocks, each with its kind; DocsError for a directive or block the
    runner would not know how to treat."""
    lines = path.read_text(encoding="utf-8").split("\n")
    blocks: list[Block] = []
    real_airflow = False
    number = 0
    while number < len(lines):
        line = lines[number]
        if _DIRECTIVE.match(line):
            before_block = number + 1 < len(lines) and _FENCE.match(lines[number + 1])
            if _directive(line) == (REAL_AIRFLOW_FROM_HERE, ""):
                real_airflow = True
            elif not before_block:
                raise DocsError(f"{shown(path)}:{number + 1}: a `docs:` directive other than "
                                f"`{REAL_AIRFLOW_FROM_HERE}` must stand right before a block")
        opening = _FENCE.match(line)
        if opening is None:
            number += 1
            continue
        fence = opening["fence"]
        end = number + 1
        while end < len(lines) and lines[end].rstrip() != fence:
            end += 1
        if end == len(lines):
            raise DocsError(f"{shown(path)}:{number + 1}: the block is never closed")
        text = "\n".join(lines[number + 1:end]) + "\n"
        before = lines[number - 1] if number else ""
        directive = _directive(before) if _DIRECTIVE.match(before) else None
        if directive is None and before.startswith("<!--"):
            raise DocsError(f"{shown(path)}:{number}: an HTML comment right before a block "
                            "must be a `<!-- docs: ... -->` directive")
        info = opening["info"].strip()
        this_real = real_airflow
        if directive == (REAL_AIRFLOW, ""):
            directive, this_real = None, True
        kind, argument = _kind(path, number + 1, info, text, directive)
        blocks.append(Block(path, number + 1, info, text, kind, argument, this_real))
        number = end + 1
    return blocks


def _directive(line: str) -> tuple[str, str]:
    match = _DIRECTIVE.match(line)
    assert match is not None
    body = match["body"]
    name, _, argument = body.partition(":")
    return name.strip(), argument.strip()


def _kind(path: Path, line: int, info: str, text: str,
          directive: Optional[tuple[str, str]]) -> tuple[str, str]:
    where = f"{shown(path)}:{line}"
    if directive is not None:
        name, argument = directive
        if name == "not run":
            if not argument:
                raise DocsError(f"{where}: `not run` needs a reason: <!-- docs: not run: WHY -->")
            return "not run", argument
        if name == "file":
            if not argument:
                raise DocsError(f"{where}: `file` needs a path: <!-- docs: file: PATH -->")
            return "file", argument
        if name == "output":
            return "output", ""
        raise DocsError(f"{where}: unknown directive {name!r} (known: not run, file, output, "
                        f"{REAL_AIRFLOW}, {REAL_AIRFLOW_FROM_HERE})")
    if info == "python":
        named = _PATH_COMMENT.match(text)
        if named is not None:
            is_test = Path(named["path"]).name.startswith("test_")
            return ("python test file" if is_test else "python file"), named["path"]
        if _TEST_FUNCTION.search(text):
            return "python tests", ""
        return "python", ""
    if text.startswith("$ "):
        return "transcript", ""
    if info in _SHELLS:
        return "shell", ""
    raise DocsError(f"{where}: a ```{info} block that is no transcript needs a directive: "
                    "<!-- docs: not run: WHY -->, <!-- docs: file: PATH --> or "
                    "<!-- docs: output -->")


# -- links ------------------------------------------------------------------------------------

# Link text may hold brackets of its own: [**list[TaskState]**](TaskState.md).
_LINK = re.compile(
    r"(?<!!)\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((?P<target>[^)\s]+)(?:\s+\"[^\"]*\")?\)")
_REFERENCE = re.compile(r"^\[(?P<label>[^\]]+)\]:\s*(?P<target>\S+)", re.MULTILINE)
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_ANCHOR_TAG = re.compile(r"<a\s+(?:name|id)=\"(?P<name>[^\"]+)\"")


@dataclass(frozen=True)
class Link:
    path: Path
    line: int
    target: str


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """The page's lines outside fenced blocks, numbered from 1."""
    kept: list[tuple[int, str]] = []
    fence: Optional[str] = None
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        opening = _FENCE.match(line)
        if fence is None and opening is not None:
            fence = opening["fence"]
        elif fence is not None and line.rstrip() == fence:
            fence = None
        elif fence is None:
            kept.append((number, line))
    return kept


def read_links(path: Path) -> list[Link]:
    """Every link of the page's prose (inline and reference definitions), code spans left out."""
    links: list[Link] = []
    for number, line in prose_lines(path):
        prose = re.sub(r"`[^`]*`", "", line)
        links += [Link(path, number, m["target"]) for m in _LINK.finditer(prose)]
        links += [Link(path, number, m["target"]) for m in _REFERENCE.finditer(prose)]
    return links


def slug(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation but `-` and `_` dropped,
    spaces as `-`."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", title)  # a link keeps its text
    text = re.sub(r"<[^>]+>", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """The anchors a link may name on the page: its headings' slugs (repeats numbered as
    GitHub numbers them) and `<a name=...>` tags."""
    found: set[str] = set()
    seen: dict[str, int] = {}
    for _, line in prose_lines(path):
        heading = _HEADING.match(line)
        if heading is not None:
            base = slug(heading["title"])
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
        found.update(m["name"] for m in _ANCHOR_TAG.finditer(line))
    return found

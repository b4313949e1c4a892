"""`airflow-sdk help [TOPIC]`: the command's guide, shipped inside the package.

The guide is docs/CLI.md, copied into the package as guide.md by `make generate` (tools/guide.py;
`make check-generated` fails when the copy drifted), so that a user of the wheel, who has no
docs/ folder, reads the same text. Its sections are the topics: a command's section is named by
the command (`help clear`), any other by the first word of its heading (`help dates`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Optional, TextIO

from airflow_python_sdk.cli import exit_codes
from airflow_python_sdk.cli.errors import UsageError
from airflow_python_sdk.cli.safe_text import quoted

__all__ = ["GUIDE_FILE", "Topic", "read_guide", "run_help", "topics"]

GUIDE_FILE = "guide.md"
_HEADING = re.compile(r"(#{2,3}) (.+)")
_FENCE = "```"
_COMMENT_LINE = re.compile(r"<!--.*-->")
ALL = "all"


@dataclass(frozen=True)
class Topic:
    name: str
    title: str
    text: str  # the section's Markdown, its heading and subsections included


def read_guide() -> str:
    """The guide's Markdown, without the line that says it was copied."""
    text = resources.files("airflow_python_sdk.cli").joinpath(GUIDE_FILE).read_text("utf-8")
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("<!--"):
        lines.pop(0)
    return "".join(lines)


def topics(guide: str) -> list[Topic]:
    """The guide's sections, in order: the introduction, then each `##` and `###` heading."""
    lines = guide.splitlines(keepends=True)
    starts: list[tuple[int, int, str]] = []  # (line index, level, title)
    fenced = False
    for index, line in enumerate(lines):
        if line.startswith(_FENCE):
            fenced = not fenced
        heading = None if fenced else _HEADING.fullmatch(line.rstrip("\n"))
        if heading is not None:
            starts.append((index, len(heading.group(1)), heading.group(2).strip()))
    first = starts[0][0] if starts else len(lines)
    found = [Topic("intro", _first_title(lines), "".join(lines[:first]))]
    taken = {"intro", ALL}
    for position, (index, level, title) in enumerate(starts):
        end = next((later for later, later_level, _ in starts[position + 1:]
                    if later_level <= level), len(lines))
        name = _name(title, taken)
        taken.add(name)
        found.append(Topic(name, title, "".join(lines[index:end])))
    return found


def run_help(topic: Optional[str], out: TextIO) -> int:
    guide = read_guide()
    sections = topics(guide)
    if topic is None:
        width = max(len(section.name) for section in sections)
        out.write("The airflow-sdk guide. `airflow-sdk help TOPIC` prints one of:\n\n")
        for section in sections:
            out.write(f"  {section.name:<{width}}  {section.title.replace('`', '')}\n")
        out.write(f"  {ALL:<{width}}  the whole guide\n")
        return exit_codes.OK
    wanted = topic.strip().lower()
    if wanted == ALL:
        out.write(_for_terminal(guide))
        return exit_codes.OK
    chosen = [section for section in sections if section.name == wanted] or [
        section for section in sections if wanted and wanted in section.title.lower()]
    if len(chosen) != 1:
        names = ", ".join(section.name for section in sections)
        raise UsageError(f"no help topic {quoted(topic)}: use one of {names}, or {ALL}")
    out.write(_for_terminal(chosen[0].text))
    return exit_codes.OK


def _first_title(lines: list[str]) -> str:
    for line in lines:
        if line.startswith("# "):
            return line[2:].strip()
    return "The airflow-sdk command"


def _name(title: str, taken: set[str]) -> str:
    command = re.match(r"`([a-z][a-z-]*)", title)
    words = [word for word in re.split(r"[^a-z0-9-]+", title.lower()) if word]
    name = command.group(1) if command else (words[0] if words else "section")
    if name in taken and words:
        name = f"{name}-{words[-1]}"
    return name


def _for_terminal(markdown: str) -> str:
    """Markdown as a terminal shows it best: code blocks indented instead of fenced, and no
    HTML comment lines (notes for the docs' test runner, which a rendered page hides too)."""
    out: list[str] = []
    fenced = False
    for line in markdown.splitlines(keepends=True):
        if line.startswith(_FENCE):
            fenced = not fenced
            continue
        if not fenced and _COMMENT_LINE.fullmatch(line.strip()):
            continue
        out.append("    " + line if fenced and line.strip() else line)
    return "".join(out)

"""The text of an Airflow 2 log chunk.

Airflow 2.10 puts a Python literal in the JSON `content` of a log chunk: the `str()` of a list
of (host, text) tuples, such as `[('worker-1', '[2026-...] INFO - line\\n...')]`. That literal is
read here without ever evaluating it: `ast.parse` only builds a syntax tree (nothing runs), and
only a list or tuple of 2-tuples of plain string constants is accepted. Anything else (a server
that already sends plain text, a shape this SDK has not seen) is returned unchanged, so no log
text is ever lost.
"""

from __future__ import annotations

import ast
from typing import Optional

__all__ = ["airflow2_log_text", "parse_host_chunks"]

# Parsing a huge literal costs memory in the syntax tree; past this size the content is shown as
# it came rather than parsed. Far above any chunk Airflow sends in one answer.
_MAX_PARSED_CHARS = 64 * 1024 * 1024


def parse_host_chunks(content: str) -> Optional[list[tuple[str, str]]]:
    """The (host, text) pairs of `content`, or None when it is not exactly such a literal."""
    stripped = content.strip()
    if not stripped.startswith(("[", "(")) or len(stripped) > _MAX_PARSED_CHARS:
        return None
    try:
        tree = ast.parse(stripped, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    outer = tree.body
    if not isinstance(outer, (ast.List, ast.Tuple)):
        return None
    pairs: list[tuple[str, str]] = []
    for element in outer.elts:
        if not (isinstance(element, ast.Tuple) and len(element.elts) == 2):
            return None
        host, text = (_string(node) for node in element.elts)
        if host is None or text is None:
            return None
        pairs.append((host, text))
    return pairs


def _string(node: ast.expr) -> Optional[str]:
    """The value of a plain string constant; None for anything else (names, calls, f-strings)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def airflow2_log_text(content: str) -> str:
    """The plain log text of an Airflow 2 chunk: the texts of all hosts, in order.

    Several hosts (a task retried on another worker) are separated by a newline unless a text
    already ends with one.
    """
    pairs = parse_host_chunks(content)
    if pairs is None:
        return content
    texts = [text for _, text in pairs if text]
    out = ""
    for text in texts:
        if out and not out.endswith("\n"):
            out += "\n"
        out += text
    return out

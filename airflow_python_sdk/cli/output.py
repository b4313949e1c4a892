"""What the commands print: aligned fields and small tables for people, JSON for scripts."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Sequence, TextIO

from airflow_python_sdk._model_runtime import Model, ModelEnum
from airflow_python_sdk.cli.safe_text import escaped, json_text

__all__ = ["as_json_data", "print_fields", "print_json", "print_table"]


def as_json_data(model: Model) -> dict[str, Any]:
    """Everything a model holds as plain JSON data: date-times as RFC 3339 text, enums as their
    value, and read-only fields too (what the SDK would send leaves those out)."""
    data = _plain(model.to_dict())
    assert isinstance(data, dict)
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, ModelEnum):
        return value.value
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def print_json(document: Any, out: TextIO) -> None:
    out.write(json_text(document, indent=2) + "\n")


def print_fields(data: dict[str, Any], out: TextIO) -> None:
    """One `name  value` line per field, values aligned; null shown as "-"."""
    width = max((len(name) for name in data), default=0)
    for name, value in data.items():
        out.write(f"{escaped(name):<{width}}  {_text(value)}\n")


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], out: TextIO) -> None:
    """Columns padded to their widest cell; the last column is not padded."""
    cells = [[str(header) for header in headers]] + [[_text(cell) for cell in row] for row in rows]
    widths = [max(len(row[column]) for row in cells) for column in range(len(headers))]
    for row in cells:
        padded = [cell.ljust(width) for cell, width in zip(row[:-1], widths[:-1])]
        out.write("  ".join([*padded, row[-1]]).rstrip() + "\n")


def _text(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, (dict, list)):
        return escaped(json.dumps(value, ensure_ascii=False))
    # A server's values, shown to a person: no control character reaches the terminal.
    return escaped(str(value))

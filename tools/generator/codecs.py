"""Each model's decoder and encoder as straight-line code: one step per field.

The decoder (`_decode`) reads an answer's fields in place: a string, integer or boolean field is
only checked (`get(key).__class__ not in STR_OR_NULL`), a number, an enum or an array is
converted by the one expression its kind needs. It stops at the first value that is not what the
spec says, by answering False or by the expression raising, and `Model._from_json` then reads
the answer the checked way, which keeps every error message and everything a newer server may
send (unknown enum values, wrong types in unchecked models). Date-times and nested models are
`LazyField`s (`is_lazy`): the decoder leaves them as they came, to be checked and decoded when
first read.

The encoder (`_encode`) writes out, into a copy of the model's values (or of the JSON it was read
from), the fields that `json.dumps` cannot take as they are, and leaves out read-only fields.
Whatever it does not expect raises, and the checked writer in `model_output` decides.

Kinds are read from the expressions the parser gave (`STRING`, `EnumKind(TaskState)`,
`ListKind(ModelKind(ExtraLink))`, ...), so any schema the parser types is covered; a kind these
functions do not know gives a step that always defers to the checked path.
"""

from __future__ import annotations

import json
import re

from tools.generator import ir

__all__ = ["decoder_lines", "encoder_lines", "is_lazy", "uses_names"]

# Fields whose JSON type is their Python type: checked, never converted.
_CHECKED = {"STRING": "STR_OR_NULL", "INTEGER": "INT_OR_NULL", "BOOLEAN": "BOOL_OR_NULL"}
_ITEM_TYPES = {"STRING": "str", "INTEGER": "int", "BOOLEAN": "bool"}
_WRAPPED = re.compile(r"^(EnumKind|ModelKind|ListKind)\((.*)\)$")


def _split(kind: str) -> tuple[str, str]:
    """("ListKind", "ModelKind(ExtraLink)") for "ListKind(ModelKind(ExtraLink))"; (kind, "")
    for a plain kind."""
    match = _WRAPPED.match(kind)
    return (match.group(1), match.group(2)) if match else (kind, "")


def _quoted(key: str) -> str:
    return json.dumps(key)


def is_lazy(kind: str) -> bool:
    """Whether a field of this kind is a `LazyField`, checked and decoded when first read: a
    date-time or a nested model (arrays are read with the answer)."""
    return kind == "DATETIME" or _split(kind)[0] == "ModelKind"


def _read(kind: str, value: str, key: str, depth: int) -> str | None:
    """The expression that converts JSON `value` of `kind`, raising on a surprise; None when
    there is none here (the checked path then reads the answer)."""
    wrapper, inner = _split(kind)
    if kind == "DATETIME":
        return f"answer_datetime({value})"
    if kind == "NUMBER":
        return f"answer_number({value})"
    if wrapper == "EnumKind":
        return f"{inner}._value2member_map_[{value}]"
    if wrapper == "ListKind":
        inner_wrapper, model = _split(inner)
        if inner in _ITEM_TYPES:
            return f"answer_list_of({value}, {_ITEM_TYPES[inner]})"
        if inner == "ANY":
            return f"list(answer_list({value}))"
        if inner_wrapper == "ModelKind" and depth == 0:
            return f"answer_models({model}, {value}, check, discard, path, {key}, origin)"
        item = f"x{depth}"
        read = _read(inner, item, key, depth + 1)
        if read is None:  # models in nested arrays: their paths are the checked path's job
            return None
        return f"[{read} for {item} in answer_list({value})]"
    return None


def decoder_lines(model: ir.Model) -> list[str]:
    """The body of the model's `_decode`, one step per field, without indentation."""
    lines: list[str] = []
    for f in model.fields:
        key = _quoted(f.key)
        kind = f.type.kind
        if kind in _CHECKED:
            lines += [f"if get({key}).__class__ not in {_CHECKED[kind]}:", "    return False"]
        elif kind == "ANY":
            lines.append(f"# {key}: any JSON value, kept as it came")
        elif is_lazy(kind):
            lines.append(f"# {key}: checked and decoded when first read (LazyField)")
        elif kind == "NUMBER":
            # Floats, the usual case, are taken as they are without a call.
            lines += [f"if (v := get({key})).__class__ is not float and v is not None:",
                      f"    data[{key}] = answer_number(v)"]
        else:
            read = _read(kind, "v", key, 0)
            if read is None:  # no straight-line reading for this kind: the checked path reads it
                lines += [f"if data.get({key}) is not None:", "    return False"]
            else:
                lines += [f"if (v := get({key})) is not None:",
                          *_assignment(f"data[{key}]", read, _BODY_INDENT)]
    if any("get(" in line for line in lines):
        lines.insert(0, "get = data.get")
    # Comments of the last fields go before the end, whose form depends on the last step.
    comments: list[str] = []
    while lines and lines[-1].startswith("#"):
        comments.insert(0, lines.pop())
    if lines[-1:] == ["    return False"] and lines[-2].startswith("if "):
        # The last check is the answer (as ruff would have it written).
        lines[-2:] = [*comments, f"return {_negated(lines[-2][len('if '):-1])}"]
    else:
        lines += [*comments, "return True"]
    return lines


def _negated(condition: str) -> str:
    if " not in " in condition:
        return condition.replace(" not in ", " in ")
    if condition.endswith(" is not None"):
        return condition[:-len(" is not None")] + " is None"
    return f"not ({condition})"


# Where the lines go: inside a method of the model class, inside an `if` for the steps.
_BODY_INDENT = 8
_WIDTH = 100


def _assignment(target: str, expression: str, indent: int) -> list[str]:
    """`target = expression` for the body of an `if` at `indent`, wrapped in parentheses when
    the line would be too long."""
    line = f"    {target} = {expression}"
    if indent + len(line) <= _WIDTH:
        return [line]
    if indent + 8 + len(expression) <= _WIDTH or not expression.endswith(")"):
        return [f"    {target} = (", f"        {expression}", "    )"]
    # Still too long: the call's arguments on a line of their own.
    call, arguments = expression[:-1].split("(", 1)
    return [f"    {target} = {call}(", f"        {arguments},", "    )"]


def _write(kind: str, value: str, key: str, depth: int) -> str | None:
    """The expression that writes a checked model's `value` of `kind` as JSON data, raising on
    a surprise; None when JSON takes the value as it is."""
    wrapper, inner = _split(kind)
    where = f"(*where, {key})"
    if kind in _CHECKED or kind == "NUMBER":
        return None
    if kind == "DATETIME":
        return f"datetime_json({value})"
    if wrapper == "EnumKind":
        return f"{value}._value_"
    if wrapper == "ModelKind" and depth == 0:
        return f"{value}._to_json({where}, keep_read_only)"
    if wrapper == "ListKind":
        if _split(inner)[0] == "ModelKind" and depth == 0:
            return f"models_json({value}, where, {key}, keep_read_only)"
        item = f"x{depth}"
        written = _write(inner, item, key, depth + 1)
        if written is None:
            return f"list({value})"
        if "where" not in written:
            return f"[{written} for {item} in {value}]"
    # Any JSON value, and what is nested deeper: the general writer, which knows paths.
    return f"to_json_value({value}, {where}, keep_read_only)"


def _holds_models(kind: str) -> bool:
    return "ModelKind(" in kind


def encoder_lines(model: ir.Model) -> list[str]:
    """The body of the model's `_encode`, without indentation."""
    fresh: list[str] = []
    both: list[str] = []
    kept: list[str] = []
    for f in model.fields:
        key = _quoted(f.key)
        written = _write(f.type.kind, "v", key, 0)
        if written is None:
            continue
        step = [f"if (v := data.get({key})) is not None:",
                *_assignment(f"out[{key}]", written, _BODY_INDENT + 4)]
        if _holds_models(f.type.kind):
            both += step  # nested models may have changed since the answer was read
        else:
            fresh += step
            if f.type.kind.startswith("ListKind("):
                # The answer's own array, copied: what the caller does with the result stays
                # out of the model.
                kept += [f"if (v := out.get({key})).__class__ is list:",
                         f"    out[{key}] = v.copy()"]
    lines = []
    if fresh or both:
        lines.append("data = self._data")
    if any("where" in line for line in fresh + both):
        lines.append(f'where = path or ("{model.name}",)')
    if fresh and not kept and sum(line.startswith("if ") for line in fresh) == 1:
        # One step only: one `if`, as ruff would have it written.
        lines += [f"if fresh and {fresh[0][len('if '):]}", *fresh[1:]]
    elif fresh:
        lines += ["if fresh:", *(f"    {line}" for line in fresh)]
        if kept:
            lines += ["else:", *(f"    {line}" for line in kept)]
    lines += both
    read_only = [f for f in model.fields if f.read_only]
    if read_only:
        lines.append("if not keep_read_only:")
        lines += [f"    out.pop({_quoted(f.key)}, None)" for f in read_only]
    lines.append("return True")
    return lines


def uses_names(lines: list[str]) -> set[str]:
    """The model_utils names the lines use."""
    names = {"STR_OR_NULL", "INT_OR_NULL", "BOOL_OR_NULL", "answer_datetime", "answer_number",
             "answer_models", "answer_list", "answer_list_of", "datetime_json",
             "models_json", "to_json_value"}
    text = "\n".join(lines)
    return {name for name in names if re.search(rf"\b{name}\b", text)}

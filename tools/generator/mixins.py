"""Hand-written methods of a generated API class (`x-python-mixin` on a tag of openapi.yaml).

The tag names a class, `module.path:ClassName`; the generated API class inherits it, and the
generated docs document its public methods. They are read from the module's source with `ast`
(nothing is imported): each method's signature and its docstring, whose first paragraph is the
summary, the rest the description, and whose `Example:` section (indented lines, the last part
of the docstring) is the call the docs show inside the usual example program.
"""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from tools.generator import ir

__all__ = ["read_mixin"]

_EXAMPLE = "Example:"


def read_mixin(root: Path, reference: str) -> ir.Mixin:
    """The mixin `module:Class` under `root`; ValueError says what is wrong with it."""
    module, _, name = reference.partition(":")
    if not module or not name:
        raise ValueError(f"{reference!r} is not 'module.path:ClassName'")
    source_path = root / (module.replace(".", "/") + ".py")
    if not source_path.exists():
        raise ValueError(f"{reference!r}: no file {source_path.relative_to(root)}")
    tree = ast.parse(source_path.read_text(), str(source_path))
    found = [node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == name]
    if not found:
        raise ValueError(f"{reference!r}: {source_path.name} defines no class {name}")
    methods = []
    for node in found[0].body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            methods.append(_method(node, reference))
    if not methods:
        raise ValueError(f"{reference!r}: the class has no public method")
    return ir.Mixin(module, name, tuple(methods))


def _method(node: ast.FunctionDef, reference: str) -> ir.MixinMethod:
    text = ast.get_docstring(node)
    if not text:
        raise ValueError(f"{reference}.{node.name} has no docstring")
    prose, _, example = text.partition(_EXAMPLE)
    if not example.strip():
        raise ValueError(f"{reference}.{node.name}: its docstring has no 'Example:' section")
    summary, _, body = prose.strip().partition("\n\n")
    return ir.MixinMethod(
        name=node.name,
        parameters=tuple(_parameters(node)),
        returns=ast.unparse(node.returns) if node.returns is not None else "None",
        summary=" ".join(summary.split()),
        description=tuple(" ".join(part.split()) for part in body.split("\n\n") if part.strip()),
        example=tuple(inspect.cleandoc(example).splitlines()),
    )


def _parameters(node: ast.FunctionDef) -> list[str]:
    """The parameters as the docs show them: `name` or `name=default`, without `self`."""
    positional = node.args.args[1:]
    defaults = [None] * (len(positional) - len(node.args.defaults)) + list(node.args.defaults)
    shown = [arg.arg if default is None else f"{arg.arg}={ast.unparse(default)}"
             for arg, default in zip(positional, defaults)]
    for arg, default in zip(node.args.kwonlyargs, node.args.kw_defaults):
        shown.append(arg.arg if default is None else f"{arg.arg}={ast.unparse(default)}")
    return shown

"""Read openapi.yaml into the intermediate form; problems come back as values, not crashes."""

from __future__ import annotations

import hashlib
import keyword
import re
from pathlib import Path
from typing import Any

import yaml

from tools.generator import ir
from tools.generator.mixins import read_mixin

# Where the modules x-python-mixin names are read: the repository the generator belongs to
# (a spec copied elsewhere, as tests do, still names the package's modules).
SOURCE_ROOT = Path(__file__).resolve().parents[2]
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_LEGACY_TYPES = {"integer": "int", "boolean": "bool", "string": "str", "number": "float"}


def snake_case(name: str) -> str:
    """getTaskInstance -> get_task_instance, InlineResponse200 -> inline_response200."""
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z])([A-Z])", r"\1_\2", name)
    return name.lower()


def python_name(key: str) -> str:
    """A JSON name as a Python attribute: reserved words get a trailing underscore."""
    name = re.sub(r"\W", "_", key)
    if not name or name[0].isdigit():
        name = "_" + name
    return name + "_" if keyword.iskeyword(name) else name


def one_line(text: str | None) -> str:
    return " ".join((text or "").split())


class _Parser:
    def __init__(self, document: dict[str, Any], root: Path) -> None:
        self.document = document
        self.root = root  # where the modules x-python-mixin names are found
        self.schemas: dict[str, Any] = document.get("components", {}).get("schemas", {})
        self.problems: list[ir.Problem] = []

    def problem(self, level: str, where: str, message: str) -> None:
        self.problems.append(ir.Problem(level, where, message))

    def resolve(self, node: dict[str, Any], where: str) -> dict[str, Any]:
        seen = 0
        while "$ref" in node:
            ref = node["$ref"]
            if not ref.startswith("#/") or seen > 20:
                self.problem("error", where, f"cannot resolve {ref!r}")
                return {}
            target: Any = self.document
            for part in ref[2:].split("/"):
                target = target.get(part, {}) if isinstance(target, dict) else {}
            if not target:
                self.problem("error", where, f"{ref!r} points at nothing")
                return {}
            node = target
            seen += 1
        return node

    # -- types --------------------------------------------------------------------------------

    def type_of(self, schema: dict[str, Any], where: str) -> ir.TypeRef:
        if "$ref" in schema:
            name = schema["$ref"].rsplit("/", 1)[-1]
            target = self.schemas.get(name)
            if target is None:
                self.problem("error", where, f"unknown schema {name!r}")
                return ir.TypeRef("Any", "ANY", "object", kinds=("ANY",))
            if "enum" in target:
                first = target["enum"][0]
                return ir.TypeRef(name, f"EnumKind({name})", name, (name,), ("EnumKind",),
                                  f'{name}("{first}")')
            return ir.TypeRef(name, f"ModelKind({name})", name, (name,), ("ModelKind",),
                              f"{name}()")
        kind = schema.get("type")
        fmt = schema.get("format")
        if kind is None and not schema.keys() & {"items", "properties", "allOf", "oneOf", "anyOf"}:
            # No type at all: any JSON value (Airflow 3's XCom values, for one).
            return ir.TypeRef("object", "ANY", "object", kinds=("ANY",), example='"value"')
        if kind == "object" and not schema.get("properties") and not schema.get("allOf"):
            # A free-form JSON object (a DAG run's conf): kept as the dict it is.
            return ir.TypeRef("object", "ANY", "dict", kinds=("ANY",), example="{}")
        if kind == "string" and fmt == "datetime":
            self.problem("warning", where, "format 'datetime' is not an OpenAPI format; "
                         "read as 'date-time'")
            fmt = "date-time"
        if kind == "string" and fmt == "date-time":
            return ir.TypeRef("datetime", "DATETIME", "datetime", kinds=("DATETIME",),
                              example="datetime(2026, 11, 26, tzinfo=timezone.utc)")
        if kind == "string":
            return ir.TypeRef("str", "STRING", "str", kinds=("STRING",),
                              example=f'"{where.rsplit(".", 1)[-1]}_example"')
        if kind == "integer":
            return ir.TypeRef("int", "INTEGER", "int", kinds=("INTEGER",), example="1")
        if kind == "number":
            return ir.TypeRef("float", "NUMBER", "float", kinds=("NUMBER",), example="3.14")
        if kind == "boolean":
            return ir.TypeRef("bool", "BOOLEAN", "bool", kinds=("BOOLEAN",), example="True")
        if kind == "array":
            item = self.type_of(schema.get("items", {}), where + "[]")
            return ir.TypeRef(f"list[{item.python}]", f"ListKind({item.kind})", f"[{item.doc}]",
                              item.models, (*item.kinds, "ListKind"), f"[{item.example}]")
        self.problem("error", where, f"unsupported schema {schema!r}: name it under "
                     "components/schemas and refer to it")
        return ir.TypeRef("Any", "ANY", "object", kinds=("ANY",))

    # -- models -------------------------------------------------------------------------------

    def models(self) -> tuple[ir.Model, ...]:
        models = []
        for name in sorted(self.schemas):
            schema = self.schemas[name]
            description = one_line(schema.get("description")) or name
            module = snake_case(name)
            if "enum" in schema:
                values = tuple(str(v) for v in schema["enum"])
                models.append(ir.Model(name, module, description, enum_values=values))
                continue
            if schema.get("type") != "object":
                self.problem("error", name, "only object and string-enum schemas are supported")
                continue
            required = set(schema.get("required", ()))
            defaults: tuple[tuple[str, str], ...] = ()
            if schema.get("x-python-send-defaults"):
                defaults = tuple((key, repr(prop["default"]))
                                 for key, prop in schema.get("properties", {}).items()
                                 if "default" in prop)
            fields = []
            for key, prop in schema.get("properties", {}).items():
                where = f"{name}.{key}"
                target = self.resolve(prop, where) if "$ref" in prop else prop
                fields.append(ir.ModelField(
                    name=python_name(key),
                    key=key,
                    type=self.type_of(prop, where),
                    description=one_line(prop.get("description") or target.get("description")),
                    read_only=bool(prop.get("readOnly")),
                    nullable=bool(prop.get("nullable") or target.get("nullable")),
                    deprecated=bool(prop.get("deprecated")),
                    required=key in required,
                ))
            models.append(ir.Model(name, module, description, tuple(fields),
                                   sent_defaults=defaults))
        return tuple(models)

    # -- operations ---------------------------------------------------------------------------

    def parameter(self, node: dict[str, Any], where: str) -> ir.Parameter:
        param = self.resolve(node, where)
        name = param.get("name", "")
        legacy = tuple(_LEGACY_TYPES[t] for t in param.get("x-python-legacy-types", ()))
        location = param.get("in", "query")
        return ir.Parameter(
            name=name,
            location=location,
            type=self.type_of(param.get("schema", {}), f"{where}.{name}"),
            description=one_line(param.get("description")),
            required=bool(param.get("required")) or location == "path",
            legacy_types=legacy,
            example=param.get("x-python-example"),
            # OpenAPI's default for query parameters is style form, explode true.
            explode=param.get("schema", {}).get("type") == "array"
            and bool(param.get("explode", param.get("style", "form") == "form")),
            minimum=param.get("schema", {}).get("minimum"),
            maximum=param.get("schema", {}).get("maximum"),
            refused=tuple((str(value), str(why))
                          for value, why in param.get("x-python-refused", {}).items()),
        )

    def operation(self, path: str, method: str, path_item: dict[str, Any],
                  operation: dict[str, Any]) -> ir.Operation:
        op_id = operation.get("operationId") or f"{method}_{path}"
        name = snake_case(op_id)
        where = f"{method.upper()} {path}"
        params = [self.parameter(p, where)
                  for p in (*path_item.get("parameters", ()), *operation.get("parameters", ()))]
        content_type = None
        body = operation.get("requestBody")
        if body:
            body = self.resolve(body, where)
            content_type, media = next(iter(body.get("content", {}).items()))
            body_type = self.type_of(media.get("schema", {}), f"{where}.body")
            params.append(ir.Parameter(
                name=snake_case(body_type.python) if body_type.models else "body",
                location="body",
                type=body_type,
                description=one_line(body.get("description")),
                required=bool(body.get("required")),
                example=body.get("x-python-example"),
            ))
        order = {"path": 0, "body": 1, "query": 2}
        placed = [p.name for p in params if p.location == "path"]
        for name_in_path in re.findall(r"{(\w+)}", path):
            if name_in_path not in placed:
                self.problem("error", where, f"path parameter {name_in_path!r} is not declared")
        params.sort(key=lambda p: (not p.required, order.get(p.location, 3)))
        responses = []
        return_model = None
        accept_types: list[str] = []
        text_field = None
        for status, node in operation.get("responses", {}).items():
            response = self.resolve(node, f"{where} {status}")
            content = response.get("content", {})
            model = None
            for media_type, media in content.items():
                if media_type not in accept_types:
                    accept_types.append(media_type)
                if media_type == "application/json":
                    model = self.type_of(media.get("schema", {}), f"{where} {status}").python
                if "x-python-response-field" in media:
                    text_field = media["x-python-response-field"]
            responses.append(ir.Response(str(status), one_line(response.get("description")),
                                         model))
            if str(status).startswith("2") and return_model is None:
                return_model = model
        security = operation.get("security", self.document.get("security", ()))
        auth = tuple(name for requirement in security for name in requirement)
        return ir.Operation(
            name=name,
            const="_" + name.upper(),
            method=method.upper(),
            path=path,
            summary=one_line(operation.get("summary")),
            description=one_line(operation.get("description")),
            parameters=tuple(params),
            responses=tuple(responses),
            return_model=return_model,
            accept="application/json" if "application/json" in accept_types
            else ", ".join(accept_types) or "application/json",
            accept_doc=", ".join(accept_types) or "Not defined",
            content_type=content_type,
            auth=auth,
            text_field=text_field,
            pager=self.pager(operation, return_model, where),
        )

    def pager(self, operation: dict[str, Any], collection: str | None,
              where: str) -> ir.Pager | None:
        spec = operation.get("x-python-pager")
        if not spec:
            return None
        items = spec.get("items", "")
        schema = self.schemas.get(collection or "", {})
        item_schema = schema.get("properties", {}).get(items, {}).get("items", {})
        if "total_entries" not in schema.get("properties", {}) or "$ref" not in item_schema:
            self.problem("error", where, f"x-python-pager: {collection!r} needs a list "
                         f"{items!r} of a named schema and total_entries")
            return None
        return ir.Pager(
            name=spec["name"],
            items=items,
            identity=tuple(spec.get("identity", ())),
            order_by=spec.get("order_by"),
            item_model=item_schema["$ref"].rsplit("/", 1)[-1],
            excluded=tuple(spec.get("exclude", ())),
        )

    def apis(self) -> tuple[ir.Api, ...]:
        by_tag: dict[str, list[ir.Operation]] = {}
        for path, path_item in self.document.get("paths", {}).items():
            for method in _METHODS:
                operation = path_item.get(method)
                if operation is None:
                    continue
                tag = (operation.get("tags") or ["Default"])[0]
                parsed = self.operation(path, method, path_item, operation)
                # x-python-also-in: other API classes that offer the same operation.
                for also in (tag, *operation.get("x-python-also-in", ())):
                    by_tag.setdefault(also, []).append(parsed)
        apis = []
        for tag in sorted(by_tag):
            operations = tuple(sorted(by_tag[tag], key=lambda op: op.name))
            name = re.sub(r"\W", "", tag) + "Api"
            apis.append(ir.Api(name, snake_case(name), tag, operations, self.mixin(tag)))
        return tuple(apis)

    def mixin(self, tag: str) -> ir.Mixin | None:
        """The hand-written class a tag's API class inherits (x-python-mixin), if any."""
        for declared in self.document.get("tags", ()):
            if declared.get("name") == tag and declared.get("x-python-mixin"):
                try:
                    return read_mixin(self.root, str(declared["x-python-mixin"]))
                except (ValueError, SyntaxError) as error:
                    self.problem("error", f"tags.{tag}.x-python-mixin", str(error))
        return None


def parse(path: Path) -> ir.Spec:
    """The spec at `path` in the intermediate form (with any problems found)."""
    raw = path.read_bytes()
    document = yaml.safe_load(raw)
    parser = _Parser(document, SOURCE_ROOT)
    info = document.get("info", {})
    models = parser.models()
    apis = parser.apis()
    servers = tuple((s.get("url", ""), one_line(s.get("description")))
                    for s in document.get("servers", ()))
    security = tuple(document.get("components", {}).get("securitySchemes", {}))
    return ir.Spec(
        title=info.get("title", ""),
        version=str(info.get("version", "")),
        source=path.name,
        sha256=hashlib.sha256(raw).hexdigest(),
        servers=servers,
        security=security,
        models=models,
        apis=apis,
        problems=tuple(parser.problems),
    )

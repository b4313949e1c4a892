"""The typed intermediate form the templates are rendered from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """Something wrong with the spec: "error" stops generation, "warning" is reported."""

    level: str
    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


@dataclass(frozen=True)
class TypeRef:
    """How one schema is typed in Python, checked at run time, and named in the docs."""

    python: str  # the annotation: "str", "datetime", "TaskState", "list[ExtraLink]"
    kind: str  # the model_utils kind expression: "STRING", "ModelKind(SLAMiss)"
    doc: str  # the docs' notation: "str", "datetime", "[ExtraLink]"
    models: tuple[str, ...] = ()  # model classes the kind needs imported
    kinds: tuple[str, ...] = ()  # model_utils names the kind needs imported
    example: str = '"example"'  # a Python expression for docs examples

    @property
    def doc_link(self) -> str:
        for model in self.models:
            if model in self.doc:
                return self.doc.replace(model, f"[**{model}**]({model}.md)")
        return f"**{self.doc}**"


@dataclass(frozen=True)
class ModelField:
    name: str  # the Python attribute
    key: str  # the JSON name
    type: TypeRef
    description: str
    read_only: bool
    nullable: bool
    deprecated: bool
    required: bool


@dataclass(frozen=True)
class Model:
    name: str
    module: str
    description: str
    fields: tuple[ModelField, ...] = ()
    enum_values: tuple[str, ...] = ()
    # (JSON name, Python literal) the model fills when not given (x-python-send-defaults)
    sent_defaults: tuple[tuple[str, str], ...] = ()

    @property
    def is_enum(self) -> bool:
        return bool(self.enum_values)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.fields if f.required)


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str  # path, query or body
    type: TypeRef
    description: str
    required: bool
    legacy_types: tuple[str, ...] = ()  # Python types also accepted: "int", "bool"
    example: str | None = None  # the docs' example value (x-python-example), a Python expression
    explode: bool = False  # a list sent as one name=value pair per item, not comma-separated
    minimum: int | float | None = None  # the schema's bounds, checked before sending
    maximum: int | float | None = None
    refused: tuple[tuple[str, str], ...] = ()  # values refused, each with why (x-python-refused)

    @property
    def annotation(self) -> str:
        types = [self.type.python, *self.legacy_types]
        if self.type.python == "datetime":
            types.append("str")
        if self.location == "body" and self.type.models:
            types.append("dict[str, Any]")  # a body is also taken as a dict of its fields
        text = types[0] if len(types) == 1 else f"Union[{', '.join(types)}]"
        return text if self.required else f"Optional[{text}]"


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    model: str | None


@dataclass(frozen=True)
class Pager:
    """The iterating companion of a list operation (x-python-pager)."""

    name: str  # iter_task_instances
    items: str  # the collection's field holding the page's items
    identity: tuple[str, ...]  # the item fields that tell two items apart
    order_by: str | None  # the order the companion asks for when the caller names none
    item_model: str  # the model the companion yields
    # Parameters of the operation the companion does not take (a projection that could drop
    # the identity fields).
    excluded: tuple[str, ...] = ()


@dataclass(frozen=True)
class Operation:
    name: str  # snake_case method name
    const: str  # the module constant holding its Endpoint
    method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    responses: tuple[Response, ...]
    return_model: str | None
    accept: str
    accept_doc: str
    content_type: str | None
    auth: tuple[str, ...]
    text_field: str | None
    pager: Pager | None = None

    @property
    def paged_params(self) -> tuple[Parameter, ...]:
        """The parameters the iterating companion takes: all but the page's limit and offset (and
        those the pager excludes)."""
        left_out = {"limit", "offset", *(self.pager.excluded if self.pager else ())}
        return tuple(p for p in self.parameters if p.name not in left_out)

    @property
    def required_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.required)

    @property
    def optional_params(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if not p.required)


@dataclass(frozen=True)
class MixinMethod:
    """A hand-written method the generated API class inherits (see mixins.py)."""

    name: str
    parameters: tuple[str, ...]  # as the docs show them: "dag_id", "timeout=DEFAULT_WAIT_TIMEOUT"
    returns: str  # the return annotation's text
    summary: str
    description: tuple[str, ...]  # paragraphs, each on one line
    example: tuple[str, ...]  # the example's lines, without indentation


@dataclass(frozen=True)
class Mixin:
    """A hand-written class the generated API class inherits (x-python-mixin on its tag)."""

    module: str  # airflow_python_sdk._waiting.run_waits
    name: str  # DagRunWaits
    methods: tuple[MixinMethod, ...]


@dataclass(frozen=True)
class Api:
    name: str  # TaskInstanceApi
    module: str  # task_instance_api
    tag: str
    operations: tuple[Operation, ...]
    mixin: Mixin | None = None


@dataclass(frozen=True)
class Spec:
    title: str
    version: str
    source: str  # the spec's file name
    sha256: str
    servers: tuple[tuple[str, str], ...]
    security: tuple[str, ...]
    models: tuple[Model, ...]
    apis: tuple[Api, ...]
    problems: tuple[Problem, ...] = field(default=())

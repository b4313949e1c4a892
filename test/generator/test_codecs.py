"""The generated decoders and encoders, for every shape of field a spec can describe: the code
is lint-clean, reads answers as the checked path reads them, writes models as the kinds write
them, and hands every surprise to the checked path."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest
import yaml
from support.paths import REPO_ROOT

from airflow_python_sdk import ApiTypeError
from tools.generator.__main__ import main

# One model with a field of every shape: scalars, nullable and read-only ones, an enum, a nested
# model, arrays of scalars, numbers, date-times, enums, models and arrays.
SHAPES = {
    "type": "object",
    "description": "Every shape of field.",
    "properties": {
        "name": {"type": "string"},
        "count": {"type": "integer", "nullable": True},
        "ratio": {"type": "number"},
        "enabled": {"type": "boolean"},
        "created": {"type": "string", "format": "date-time", "readOnly": True},
        "state": {"$ref": "#/components/schemas/TaskState"},
        "miss": {"$ref": "#/components/schemas/SLAMiss"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "weights": {"type": "array", "items": {"type": "number"}},
        "times": {"type": "array", "items": {"type": "string", "format": "date-time"}},
        "states": {"type": "array", "items": {"$ref": "#/components/schemas/TaskState"}},
        "links": {"type": "array", "items": {"$ref": "#/components/schemas/ExtraLink"}},
        "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
        "nested_links": {"type": "array", "items": {
            "type": "array", "items": {"$ref": "#/components/schemas/ExtraLink"}}},
    },
}

ANSWER = {
    "name": "n",
    "count": None,
    "ratio": 2,
    "enabled": True,
    "created": "2026-11-26T00:00:00+00:00",
    "state": "running",
    "miss": {"task_id": "t", "timestamp": "2026-11-26T01:00:00+02:00"},
    "tags": ["a", "b"],
    "weights": [1, 2.5],
    "times": ["2026-11-26T00:00:00Z"],
    "states": ["queued", "success"],
    "links": [{"name": "l", "class_ref": {"class_name": "C"}}],
    "grid": [[1, 2], [3]],
    "nested_links": [[{"href": "h"}]],
    "unknown": {"kept": True},
}


@pytest.fixture(scope="module")
def shapes(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    root = tmp_path_factory.mktemp("generated")
    document = yaml.safe_load((REPO_ROOT / "openapi.yaml").read_text())
    document["components"]["schemas"]["Shapes"] = SHAPES
    spec = root / "openapi.yaml"
    spec.write_text(yaml.safe_dump(document))
    assert main(["--root", str(root), "--spec", str(spec)]) == 0
    path = root / "airflow_python_sdk/model/shapes.py"
    lint = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", str(path)],
                          capture_output=True, text=True, cwd=REPO_ROOT)
    assert lint.returncode == 0, lint.stdout
    loaded = importlib.util.spec_from_file_location("generated_shapes", path)
    assert loaded is not None and loaded.loader is not None
    module = importlib.util.module_from_spec(loaded)
    loaded.loader.exec_module(module)
    return module


def _fresh(answer: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(answer))


def _checked(cls: Any, answer: dict[str, Any], check: bool = True) -> dict[str, Any]:
    data = _fresh(answer)
    cls._convert_checked(data, check, False, (cls.__name__,))
    return data


def test_the_decoder_reads_every_shape_as_the_checked_path(shapes):
    cls = shapes.Shapes
    data = _fresh(ANSWER)
    decoded = cls._decode(data, True, False, ("Shapes",), None)
    # Arrays nested in arrays of models are the checked path's: the decoder says so.
    assert decoded is False
    del data["nested_links"]
    answer = {key: value for key, value in ANSWER.items() if key != "nested_links"}
    data = _fresh(answer)
    assert cls._decode(data, True, False, ("Shapes",), None) is True
    assert data == _checked(cls, answer)
    assert data["ratio"] == 2.0 and type(data["ratio"]) is float
    assert data["times"] == [dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc)]


def test_every_shape_reads_and_writes_back_the_same(shapes):
    model = shapes.Shapes.from_dict(_fresh(ANSWER))
    assert model.links[0].class_ref.class_name == "C"
    assert model.nested_links[0][0].href == "h"
    assert model.to_dict(mode="json") == ANSWER
    model.name = "changed"  # written anew from the values, by the encoder
    written = model.to_dict(mode="json")
    assert written == {**ANSWER, "name": "changed", "times": ["2026-11-26T00:00:00+00:00"],
                       "weights": [1.0, 2.5], "ratio": 2.0}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"tags": ["a", 1]}, "Shapes.tags[1]"),
        ({"links": [{"class_ref": "C"}]}, "Shapes.links[0].class_ref"),
        ({"grid": [[1, "2"]]}, "Shapes.grid[0][1]"),
        ({"ratio": True}, "Shapes.ratio"),
        ({"count": 1.5}, "Shapes.count"),
    ],
)
def test_surprises_get_the_checked_paths_errors(shapes, change, message):
    # The checked path's error: typed, and naming the field as the path to it.
    with pytest.raises(ApiTypeError) as caught:
        shapes.Shapes.from_dict(_fresh({**ANSWER, **change}))
    assert message in str(caught.value)


def test_the_encoder_writes_as_the_kinds_do_and_leaves_out_read_only_fields(shapes):
    model = shapes.Shapes(
        name="n", ratio=1.5, state="queued", states=["queued"],
        created=dt.datetime(2026, 11, 26, tzinfo=dt.timezone.utc),
        times=[dt.datetime(2026, 11, 26, 2, tzinfo=dt.timezone(dt.timedelta(hours=2)))],
        links=[{"href": "h", "class_ref": {"module_path": "m"}}], grid=[[1]],
    )
    by_kinds = model._to_json_by_kinds(model._data.copy(), True, (), False)
    body = model._to_json()
    assert body == by_kinds
    # created, and href and module_path in the nested models, are read-only.
    assert "created" not in body and body["links"] == [{"class_ref": {}}]
    assert body["times"] == ["2026-11-26T02:00:00+02:00"] and body["states"] == ["queued"]


def _model(*fields: tuple[str, str, bool]) -> Any:
    from tools.generator import ir

    return ir.Model(name="M", module="m", description="", fields=tuple(
        ir.ModelField(name=key, key=key, type=ir.TypeRef("Any", kind, "x"), description="",
                      read_only=read_only, nullable=True, deprecated=False, required=False)
        for key, kind, read_only in fields))


def test_the_last_step_and_comments_are_written_as_ruff_wants_them() -> None:
    from tools.generator.codecs import decoder_lines, encoder_lines

    # Any JSON value needs no step, only a comment; the last check is the answer.
    assert decoder_lines(_model(("count", "INTEGER", False), ("conf", "ANY", False))) == [
        "get = data.get",
        '# "conf": any JSON value, kept as it came',
        'return get("count").__class__ in INT_OR_NULL',
    ]
    # A kind without a straight-line reading defers to the checked path.
    assert decoder_lines(_model(("grid", "ListKind(ListKind(ModelKind(X)))", False)))[-1] == (
        'return data.get("grid") is None')
    # One step to write: one `if`.
    assert encoder_lines(_model(("when", "DATETIME", True))) == [
        "data = self._data",
        'if fresh and (v := data.get("when")) is not None:',
        '    out["when"] = datetime_json(v)',
        "if not keep_read_only:",
        '    out.pop("when", None)',
        "return True",
    ]

"""Model layer cost: deserializing one TaskInstance answer (parsing included, type checks on)
against json.loads of the same bytes, and serializing a model for a request against json.dumps
of the equivalent dict. Both pairs are timed interleaved in this one process, in CPU time.

Two more figures say what the first one leaves out. A client may decode values when they are
first read instead of with the answer (ours does, for date-times and nested models):
"deserialize+read" also reads every field of the model, nested ones too, so that nothing is
left undecoded. And a client may parse with the C scanner `json.loads` wraps (ours does):
"raw_decode(str)" is that scanner alone, the least any parse of the text can cost.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import ModuleType
from typing import Any

import fixtures
import timing


def field_reader(document: Mapping[str, Any]) -> Any:
    """A function that reads each field of `document` from a model as an attribute, and each
    field of a nested object from the nested model (the names worked out once, here)."""
    names = list(document)
    nested = [(key, field_reader(value)) for key, value in document.items()
              if isinstance(value, Mapping)]

    def read(model: Any) -> Any:
        for name in names:
            getattr(model, name)
        for key, read_nested in nested:
            inner = getattr(model, key)
            if inner is not None and not isinstance(inner, Mapping):  # a model, not JSON data
                read_nested(inner)
        return model

    return read


_RAW_DECODE = json.JSONDecoder().raw_decode


def run(contestant: ModuleType, rounds: int, batch_s: float, time_limit_s: float) -> dict[str, Any]:
    deserialize = contestant.deserializer()
    serialize = contestant.serializer()
    model = contestant.task_instance_model()
    # A contestant whose schema differs (the Airflow 3 reference) brings its own document.
    data = getattr(contestant, "DOCUMENT_BYTES", fixtures.TASK_INSTANCE_BYTES)
    plain = getattr(contestant, "DOCUMENT", fixtures.TASK_INSTANCE)
    read_all = field_reader(plain)
    read = timing.interleaved(
        {
            "json.loads": lambda: json.loads(data),
            # json.loads of bytes detects the encoding and decodes with "surrogatepass", which
            # costs more than decoding first; this stricter floor shows how much that matters.
            "json.loads(str)": lambda: json.loads(data.decode("utf-8")),
            "raw_decode(str)": lambda: _RAW_DECODE(data.decode("utf-8")),
            "deserialize": lambda: deserialize(data),
            "deserialize+read": lambda: read_all(deserialize(data)),
        },
        rounds,
        batch_s,
        time_limit_s / 2,
        timing.CPU_CLOCK,
    )
    write = timing.interleaved(
        {"json.dumps": lambda: json.dumps(plain), "serialize": lambda: serialize(model)},
        rounds,
        batch_s,
        time_limit_s / 2,
        timing.CPU_CLOCK,
    )
    return {
        "deserialize": {
            "ratio": timing.summarise_ratio(read["deserialize"], read["json.loads"]),
            "us": timing.median_us(read["deserialize"]),
            "floor_us": timing.median_us(read["json.loads"]),
            "strict_ratio": timing.summarise_ratio(read["deserialize"], read["json.loads(str)"]),
            "strict_floor_us": timing.median_us(read["json.loads(str)"]),
            "scanner_ratio": timing.summarise_ratio(read["deserialize"], read["raw_decode(str)"]),
            "scanner_floor_us": timing.median_us(read["raw_decode(str)"]),
            "read_all_ratio": timing.summarise_ratio(read["deserialize+read"],
                                                     read["json.loads"]),
            "read_all_us": timing.median_us(read["deserialize+read"]),
        },
        "serialize": {
            "ratio": timing.summarise_ratio(write["serialize"], write["json.dumps"]),
            "us": timing.median_us(write["serialize"]),
            "floor_us": timing.median_us(write["json.dumps"]),
        },
    }

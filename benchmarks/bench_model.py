"""Model layer cost: deserializing one TaskInstance answer (parsing included, type checks on)
against json.loads of the same bytes, and serializing a model for a request against json.dumps
of the equivalent dict. Both pairs are timed interleaved in this one process, in CPU time."""

from __future__ import annotations

import json
from types import ModuleType
from typing import Any

import fixtures
import timing


def run(contestant: ModuleType, rounds: int, batch_s: float, time_limit_s: float) -> dict[str, Any]:
    deserialize = contestant.deserializer()
    serialize = contestant.serializer()
    model = contestant.task_instance_model()
    # A contestant whose schema differs (the Airflow 3 reference) brings its own document.
    data = getattr(contestant, "DOCUMENT_BYTES", fixtures.TASK_INSTANCE_BYTES)
    plain = getattr(contestant, "DOCUMENT", fixtures.TASK_INSTANCE)
    read = timing.interleaved(
        {
            "json.loads": lambda: json.loads(data),
            # json.loads of bytes detects the encoding and decodes with "surrogatepass", which
            # costs more than decoding first; this stricter floor shows how much that matters.
            "json.loads(str)": lambda: json.loads(data.decode("utf-8")),
            "deserialize": lambda: deserialize(data),
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
        },
        "serialize": {
            "ratio": timing.summarise_ratio(write["serialize"], write["json.dumps"]),
            "us": timing.median_us(write["serialize"]),
            "floor_us": timing.median_us(write["json.dumps"]),
        },
    }

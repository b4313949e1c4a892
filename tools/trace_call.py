"""Which of the SDK's modules one call runs through, and the hops between them.

    python -m tools.trace_call            # get_task_instance against the embedded server

The call is made once to warm up (imports, the connection, the dialect), then once more under
`sys.setprofile`. A module counts when code of it runs during that second call; a hop is a call
from a function of one SDK module into a function of another (each distinct pair once, in the
order first seen). Standard-library and urllib3 frames are not counted, but calls made through
them are followed: a hop from `transport/urllib3_transport.py` into urllib3 and back out into
`transport/deadline.py` counts as urllib3_transport -> deadline. A hop up is one into a higher
layer than the caller's (the layers of pyproject.toml's import contract): a call that comes back
up the way it went down, which a reader has to follow twice.
"""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

PACKAGE = "airflow_python_sdk"
SKIP = (f"{PACKAGE}.testing",)  # the embedded server runs in the same process: not the call
# The layers, top first (pyproject.toml, [tool.importlinter]); a module is in the first whose
# prefix it has.
LAYERS = (
    ("api.", "apis"), ("_client",), ("dialects",), ("_operation", "transport"),
    ("model.", "models", "_model_runtime"), ("_settings",), ("_errors",), ("_internal",),
)


def layer_of(module: str) -> int:
    name = module[len(PACKAGE) + 1:]
    for rank, prefixes in enumerate(LAYERS):
        if name.startswith(prefixes):
            return rank
    return -1


def _module(frame: FrameType) -> str:
    return str(frame.f_globals.get("__name__", ""))


def _sdk(name: str) -> bool:
    return name.startswith(PACKAGE) and not name.startswith(SKIP)


def trace(call: Any) -> tuple[list[str], list[tuple[str, str]]]:
    """The SDK modules `call()` runs code of, and the distinct hops between them."""
    modules: list[str] = []
    hops: list[tuple[str, str]] = []
    # The SDK module each thread's frame stack is in, innermost last.
    stack: list[str] = []

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event == "call":
            name = _module(frame)
            if _sdk(name):
                if name not in modules:
                    modules.append(name)
                if stack and stack[-1] and stack[-1] != name and (stack[-1], name) not in hops:
                    hops.append((stack[-1], name))
                stack.append(name)
            else:
                stack.append(stack[-1] if stack else "")
        elif event == "return" and stack:
            stack.pop()

    sys.setprofile(profile)
    try:
        call()
    finally:
        sys.setprofile(None)
    return modules, hops


def main() -> None:
    from airflow_python_sdk import ApiClient, Configuration
    from airflow_python_sdk.api.task_instance_api import TaskInstanceApi
    from airflow_python_sdk.testing import AirflowApiServer

    with AirflowApiServer() as server:
        configuration = Configuration(host=server.url, username="admin", password="admin")
        with ApiClient(configuration) as client:
            api = TaskInstanceApi(client)

            def call() -> None:
                api.get_task_instance("etl_daily", "transform", "2026-11-26T00:00:00+00:00")

            call()
            modules, hops = trace(call)
    up = [(a, b) for a, b in hops if layer_of(b) < layer_of(a)]
    print(f"get_task_instance: {len(modules)} modules, {len(hops)} hops, {len(up)} of them up")
    for name in modules:
        print(f"  {name}")
    print("hops:")
    for caller, callee in hops:
        print(f"  {caller} -> {callee}{'   (up)' if (caller, callee) in up else ''}")


if __name__ == "__main__":
    main()

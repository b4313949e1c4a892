"""What every command gets: the API, the parsed arguments and the streams to talk through."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import TextIO

from airflow_python_sdk.api.task_instance_api import TaskInstanceApi

__all__ = ["CommandContext"]


@dataclass(frozen=True)
class CommandContext:
    api: TaskInstanceApi
    args: argparse.Namespace
    stdin: TextIO
    stdout: TextIO
    stderr: TextIO

    @property
    def json(self) -> bool:
        return bool(self.args.json)

"""Start and stop the canned server (server.py) as child processes of the orchestrator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import TracebackType

HERE = Path(__file__).resolve().parent


class CannedServer:
    """A server.py child process; `with CannedServer(delay_ms) as host:` gives its base URL."""

    def __init__(
        self, delay_ms: float = 0.0, log_chunk_mib: float = 0.0, max_seconds: float = 1800.0
    ) -> None:
        self.args = [
            sys.executable,
            str(HERE / "server.py"),
            "--delay-ms",
            str(delay_ms),
            "--log-chunk-mib",
            str(log_chunk_mib),
            "--max-seconds",
            str(max_seconds),
        ]
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            self.args, cwd=HERE, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout is not None
        first = self.process.stdout.readline().split()
        if len(first) != 2 or first[0] != "PORT":
            self.__exit__(None, None, None)
            raise RuntimeError(f"server.py did not start: {first!r}")
        return f"http://127.0.0.1:{first[1]}/api/v1"

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process is None:
            return
        if self.process.stdin:
            self.process.stdin.close()  # the server stops when its stdin closes
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

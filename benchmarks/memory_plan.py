"""Which memory figures a run takes, and how each becomes one number.

Logs come from two servers: "one-answer" sends the whole log in one answer, as Airflow 2 does
with its file task handler; "chunked" sends it in 1 MiB pieces linked by continuation tokens.
A reader that follows tokens holds one chunk at a time, so only the one-answer server shows
whether a streaming path also streams within one answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

# The allocator's reuse of freed memory makes one process's peak vary; a figure that depends on
# it (a whole log in memory) is the median of a few fresh processes.
REPEATS = 3
ONE_ANSWER = "one-answer"
CHUNKED = "chunked"

Measure = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class Probe:
    who: str  # "sdk" or "urllib3"
    mode: str  # "get", "stream" or "cli"
    mib: int
    server: str
    meters: tuple[str, ...]
    repeats: int


def plan(contestant: str, quick: bool) -> list[Probe]:
    both = ("rss", "traced")
    probes = [
        Probe("sdk", "get", 20, ONE_ANSWER, both, REPEATS),
        Probe("urllib3", "get", 20, ONE_ANSWER, both, REPEATS),
    ]
    for mib in (20,) if quick else (20, 80):
        probes.append(Probe("urllib3", "stream", mib, ONE_ANSWER, both, 1))
        if contestant != "ours":  # the original client has no streaming path for logs
            continue
        for server in (ONE_ANSWER, CHUNKED):
            probes.append(Probe("sdk", "stream", mib, server, both, 1))
            probes.append(Probe("sdk", "cli", mib, server, ("rss-process",), 1))
    return probes


def take(probe: Probe, meter: str, host: str, measure: Measure) -> dict[str, Any]:
    options = ["--host", host, "--who", probe.who, "--mode", probe.mode, "--mib", str(probe.mib)]
    options += ["--meter", "rss" if meter == "rss-process" else meter]
    repeats = [measure("memory", *options)]
    while "error" not in repeats[0] and len(repeats) < probe.repeats:
        repeats.append(measure("memory", *options))
    good = sorted((run for run in repeats if "peak_bytes" in run), key=lambda r: r["peak_bytes"])
    result = dict(good[len(good) // 2]) if good else dict(repeats[0])
    result["repeats_peak_bytes"] = [run["peak_bytes"] for run in good]
    result.update(
        {
            "who": probe.who,
            "mode": probe.mode,
            "mib": probe.mib,
            "meter": meter,
            "server": probe.server,
        }
    )
    return result


def run(
    contestant: str, quick: bool, hosts: dict[str, str], measure: Measure
) -> list[dict[str, Any]]:
    return [
        take(probe, meter, hosts[probe.server], measure)
        for probe in plan(contestant, quick)
        for meter in probe.meters
    ]

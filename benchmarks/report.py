"""Render the figures of one run (run_all.py's JSON) as a Markdown table."""

from __future__ import annotations

from typing import Any, Callable, Optional

MIB = 1024 * 1024
ONE_ANSWER = "one-answer"
CHUNKED = "chunked"

Cell = Callable[[dict[str, Any]], Optional[float]]


def _ratio(step: str, key: str) -> Cell:
    return lambda entry: entry.get(step, {}).get(key, {}).get("median")


def _find_memory(
    entry: dict[str, Any], who: str, mode: str, mib: int, meter: str, server: str = ONE_ANSWER
) -> Any:
    for run in entry.get("memory", []):
        wanted = (run.get("who"), run.get("mode"), run.get("mib"), run.get("meter"))
        if (
            wanted == (who, mode, mib, meter)
            and run.get("server", ONE_ANSWER) == server
            and "peak_bytes" in run
        ):
            return run
    return None


def _fmt_ratio(entry: dict[str, Any], step: str, key: str) -> str:
    figure = entry.get(step, {}).get(key)
    if not figure:
        return entry.get(step, {}).get("error", "n/a") if step in entry else "n/a"
    return f"{figure['median']:.2f}x ({figure['p10']:.2f}-{figure['p90']:.2f})"


def _fmt_us(entry: dict[str, Any], step: str, field: str) -> str:
    value = entry.get(step, {}).get(field)
    if value is None:
        return "n/a"
    return f"{value / 1000:.1f} ms" if value >= 1000 else f"{value:.1f} us"


def _fmt_memory(entry: dict[str, Any], who: str, mode: str, mib: int) -> str:
    rss = _find_memory(entry, who, mode, mib, "rss")
    traced = _find_memory(entry, who, mode, mib, "traced")
    if rss is None:
        for run in entry.get("memory", []):
            if (run.get("who"), run.get("mode"), run.get("mib")) == (who, mode, mib):
                return str(run.get("error", "n/a"))
        return "n/a"
    text = f"{rss['ratio']:.2f}x ({rss['peak_bytes'] / MIB:.2f} MiB)"
    if traced is not None:
        text += f", traced {traced['peak_bytes'] / MIB:.2f} MiB"
    return text


def _fmt_bulk(entry: dict[str, Any], who: str) -> str:
    bulk = entry.get("bulk", {}).get(who)
    if not bulk:
        return "n/a"
    return (
        f"{bulk['speedup']:.2f}x ({bulk['one_worker_s']:.1f} s -> {bulk['many_workers_s']:.2f} s)"
    )


def _verdict(value: Optional[float], limit: float, at_most: bool) -> str:
    if value is None:
        return "not measured"
    if at_most:
        return (
            f"met, {1 - value / limit:.0%} under"
            if value <= limit
            else (f"MISSED by {value / limit - 1:.0%}")
        )
    return (
        f"met, {value / limit - 1:.0%} over"
        if value >= limit
        else (f"MISSED by {1 - value / limit:.0%}")
    )


def _memory_ratio(entry: dict[str, Any], mode: str, mib: int) -> Optional[float]:
    run = _find_memory(entry, "sdk", mode, mib, "rss")
    return None if run is None else float(run["ratio"])


def _bulk_speedup(entry: dict[str, Any], who: str = "sdk") -> Optional[float]:
    bulk = entry.get("bulk", {}).get(who)
    return None if not bulk else float(bulk["speedup"])


def _wall_and_cpu_rows(
    entries: tuple[dict[str, Any], dict[str, Any], dict[str, Any]], step: str, bound: str,
    titles: tuple[str, str], floor: str,
) -> list[tuple[str, ...]]:
    """A step timed against its floor: the wall-clock ratio, held to `bound`, then the client's
    CPU time ratio (information). `entries` are ours, the original's and the floor's source."""
    ours, original, floor_source = entries
    return [
        (
            titles[0],
            f"<= {bound}x",
            _fmt_ratio(ours, step, "ratio"),
            _fmt_ratio(original, step, "ratio"),
            "-",
            f"{floor} {_fmt_us(floor_source, step, 'floor_us')}; ours {_fmt_us(ours, step, 'us')}",
            _verdict(_ratio(step, "ratio")(ours), float(bound), True),
        ),
        (
            titles[1],
            "-",
            _fmt_ratio(ours, step, "cpu_ratio"),
            _fmt_ratio(original, step, "cpu_ratio"),
            "-",
            f"{floor} {_fmt_us(floor_source, step, 'cpu_floor_us')}; ours "
            f"{_fmt_us(ours, step, 'cpu_us')}",
            "information",
        ),
    ]


def render(results: dict[str, Any]) -> str:
    facts = results["machine"]
    people = results["contestants"]
    ours = people.get("ours", {})
    original = people.get("original", {})
    official = people.get("official", {})
    floor_source = ours or original
    lines = [
        f"Measured {facts['date']} on {facts['cpu']}, {facts['cores']} cores, "
        f"{facts['memory']}, Linux {facts['kernel']}, {facts['implementation']} "
        f"{facts['python']}; urllib3 {floor_source.get('urllib3', '?')}; load average "
        f"{facts.get('load', '?')} at the start, "
        + ", ".join(f"{name} {entry.get('load_after', '?')}" for name, entry in people.items())
        + " after each contestant. SDK at "
        + facts.get("sdk_revision", "?")
        + ".",
        "",
        "Ratios are medians of per-round ratios (10th-90th percentile in brackets), each against "
        "its floor in the same process.",
        "",
        "| Benchmark (vs floor) | Target | Ours | Original 0.3.7 | Official 3.x (ref.) "
        "| Floor, absolute | Ours: verdict |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows: list[tuple[str, ...]] = [
        (
            "Deserialize TaskInstance (vs json.loads)",
            "<= 1.35x",
            _fmt_ratio(ours, "deserialize", "ratio"),
            _fmt_ratio(original, "deserialize", "ratio"),
            _fmt_ratio(official, "deserialize", "ratio"),
            f"json.loads {_fmt_us(floor_source, 'deserialize', 'floor_us')}; ours "
            f"{_fmt_us(ours, 'deserialize', 'us')}",
            _verdict(_ratio("deserialize", "ratio")(ours), 1.35, True),
        ),
        (
            "Deserialize, stricter floor (vs json.loads of the decoded str)",
            "-",
            _fmt_ratio(ours, "deserialize", "strict_ratio"),
            _fmt_ratio(original, "deserialize", "strict_ratio"),
            _fmt_ratio(official, "deserialize", "strict_ratio"),
            f"json.loads(str) {_fmt_us(floor_source, 'deserialize', 'strict_floor_us')}",
            "information",
        ),
        (
            "Deserialize, strictest floor (vs the C scanner alone: JSONDecoder.raw_decode of the "
            "decoded str)",
            "-",
            _fmt_ratio(ours, "deserialize", "scanner_ratio"),
            _fmt_ratio(original, "deserialize", "scanner_ratio"),
            _fmt_ratio(official, "deserialize", "scanner_ratio"),
            f"raw_decode(str) {_fmt_us(floor_source, 'deserialize', 'scanner_floor_us')}",
            "information",
        ),
        (
            "Deserialize and read every field, nested ones too (vs json.loads)",
            "-",
            _fmt_ratio(ours, "deserialize", "read_all_ratio"),
            _fmt_ratio(original, "deserialize", "read_all_ratio"),
            _fmt_ratio(official, "deserialize", "read_all_ratio"),
            f"ours {_fmt_us(ours, 'deserialize', 'read_all_us')}",
            "information",
        ),
        (
            "Serialize TaskInstance (vs json.dumps)",
            "<= 1.2x",
            _fmt_ratio(ours, "serialize", "ratio"),
            _fmt_ratio(original, "serialize", "ratio"),
            _fmt_ratio(official, "serialize", "ratio"),
            f"json.dumps {_fmt_us(floor_source, 'serialize', 'floor_us')}; ours "
            f"{_fmt_us(ours, 'serialize', 'us')}",
            _verdict(_ratio("serialize", "ratio")(ours), 1.2, True),
        ),
        *_wall_and_cpu_rows(
            (ours, original, floor_source), "get_task_instance", "1.10",
            ("get_task_instance, loopback (vs urllib3 + json.loads)",
             "get_task_instance, client CPU time per request (vs urllib3 + json.loads)"),
            floor="urllib3",
        ),
        (
            "get_logs 20 MiB, peak memory / log size",
            "<= 2x",
            _fmt_memory(ours, "sdk", "get", 20),
            _fmt_memory(original, "sdk", "get", 20),
            "-",
            "urllib3 + json.loads " + _fmt_memory(floor_source, "urllib3", "get", 20),
            _verdict(_memory_ratio(ours, "get", 20), 2.0, True),
        ),
    ]
    rows += _streaming_rows(ours, floor_source)
    rows += [
        *_wall_and_cpu_rows(
            (ours, original, floor_source), "import", "1.15",
            ("import SDK + API module, whole process (vs import urllib3)",
             "import, whole-process CPU time (vs import urllib3)"),
            floor="import urllib3",
        ),
        (
            "Iterate 10,000 task instances, pages of 100 (vs urllib3 paging loop + json.loads)",
            "<= 1.3x; memory flat from 10,000 to 100,000",
            _fmt_paging(ours, "sdk"),
            "-",
            "-",
            "urllib3 " + _fmt_paging(ours, "urllib3"),
            _verdict(_ratio("paging", "ratio")(ours), 1.3, True)
            if isinstance(ours.get("paging", {}).get("ratio"), dict) else "not measured",
        ),
        (
            "pytest plugin's load, a run using none of its fixtures",
            "<= 5 ms",
            _fmt_plugin(ours),
            "no plugin",
            "-",
            "pytest without the plugin " + _fmt_us(ours, "plugin", "run_without_us"),
            _verdict(_plugin_ms(ours), 5.0, True),
        ),
        (
            _bulk_title(floor_source),
            ">= 5x",
            _fmt_bulk(ours, "sdk"),
            _fmt_bulk(original, "sdk"),
            "-",
            "urllib3 " + _fmt_bulk(floor_source, "urllib3"),
            _verdict(_bulk_speedup(ours), 5.0, False),
        ),
        (
            "CLI set-state, same dates, --workers 8 vs 1 (whole process)",
            ">= 5x",
            _fmt_bulk(ours, "cli"),
            "-",
            "-",
            "-",
            _verdict(_bulk_speedup(ours, "cli"), 5.0, False),
        ),
        *_endpoint_rows(ours),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _fmt_paging(entry: dict[str, Any], who: str) -> str:
    paging = entry.get("paging", {})
    if not paging or "error" in paging:
        return str(paging.get("error", "n/a"))
    peaks = paging.get("peak_bytes", {}).get(who, {})
    memory = "; ".join(f"{int(total):,}: {peak / MIB:.1f} MiB" for total, peak in peaks.items())
    if who == "urllib3":
        return f"{_fmt_us(entry, 'paging', 'floor_us')}; peak {memory}"
    if "ratio" not in paging:
        return str(paging.get("sdk", "n/a"))
    return f"{_fmt_ratio(entry, 'paging', 'ratio')}; peak {memory}"


def _plugin_ms(entry: dict[str, Any]) -> Optional[float]:
    load = entry.get("plugin", {}).get("load_us")
    return None if load is None else float(load) / 1000


def _fmt_plugin(entry: dict[str, Any]) -> str:
    plugin = entry.get("plugin", {})
    if "load_us" not in plugin:
        return str(plugin.get("error", "n/a"))
    return (
        f"{plugin['load_us'] / 1000:.1f} ms (-X importtime, p90 {plugin['load_us_p90'] / 1000:.1f}"
        f" ms); whole run {_fmt_ratio(entry, 'plugin', 'cpu_ratio')} CPU, "
        f"{plugin['cpu_difference_us'] / 1000:+.1f} ms"
    )


def _bulk_title(entry: dict[str, Any]) -> str:
    bulk = entry.get("bulk", {})
    calls = bulk.get("calls", 1000)
    workers = bulk.get("workers", 8)
    return f"Bulk state change, {calls} calls, 20 ms server: {workers} workers vs 1"


def _endpoint_rows(ours: dict[str, Any]) -> list[tuple[str, ...]]:
    """The bulk change of a run's task instances against one by one (bench_bulk_endpoint.py):
    fewer requests (held to 10x) and less time (held to 5x), then the command's figures."""
    endpoint = ours.get("bulk", {}).get("endpoint")
    if not endpoint:
        return []
    count, workers = endpoint["task_instances"], endpoint["workers"]
    bulk, alone = endpoint["bulk"], endpoint["one_by_one"]
    many, command = endpoint[f"one_by_one_{workers}_workers"], endpoint["command"]
    fewer = alone["requests_ratio"]
    faster = alone["time_ratio"]
    return [
        (
            f"Set the state of {count:,} task instances of one run, 20 ms server (embedded): "
            "bulk_task_instances vs update_task_instance one by one",
            ">= 10x fewer requests, >= 5x faster",
            f"{bulk['requests']} vs {alone['requests']:,} requests ({fewer:.0f}x fewer); "
            f"{bulk['s']:.2f} s vs {alone['s']:.1f} s ({faster:.0f}x faster); one by one on "
            f"{workers} workers {many['s']:.2f} s ({many['time_ratio']:.1f}x the bulk time)",
            "no bulk change",
            "-",
            "-",
            f"{_verdict(fewer, 10.0, False)} (requests); {_verdict(faster, 5.0, False)} (time)",
        ),
        (
            f"CLI set-state over those {count:,} (whole process: states read, then the bulk "
            "change)",
            "-",
            f"{command['requests']} requests, {command['s']:.2f} s "
            f"({alone['s'] / command['s']:.0f}x faster than one by one)",
            "-",
            "-",
            "-",
            "information",
        ),
    ]


def _peaks(entry: dict[str, Any], who: str, mode: str, meter: str, server: str) -> str:
    found = []
    for mib in (20, 80):
        run = _find_memory(entry, who, mode, mib, meter, server)
        if run is not None:
            found.append(f"{mib} MiB log: {run['peak_bytes'] / MIB:.1f} MiB")
    if found:
        return "; ".join(found)
    for run in entry.get("memory", []):
        if (run.get("who"), run.get("mode")) == (who, mode) and "error" in run:
            return str(run["error"])
    return "n/a"


def _growth_verdict(entry: dict[str, Any], mode: str, meter: str, server: str) -> str:
    small = _find_memory(entry, "sdk", mode, 20, meter, server)
    large = _find_memory(entry, "sdk", mode, 80, meter, server)
    if small is None or large is None:
        return "not measured"
    grew = (large["peak_bytes"] - small["peak_bytes"]) / MIB
    flat = grew < 5.0  # four times the log for less than 5 MiB more memory
    return f"{'met' if flat else 'MISSED'}: {grew:+.1f} MiB from 20 to 80 MiB"


def _streaming_rows(ours: dict[str, Any], floor: dict[str, Any]) -> list[tuple[str, ...]]:
    floor_cell = "urllib3 stream " + _peaks(floor, "urllib3", "stream", "rss", ONE_ANSWER)
    rows: list[tuple[str, ...]] = []
    for mode, meter, title in (
        ("stream", "rss", "Streaming helper, peak growth"),
        ("cli", "rss-process", "CLI logs --output, whole-process peak"),
    ):
        for server, how in ((ONE_ANSWER, "whole log in one answer"), (CHUNKED, "1 MiB chunks")):
            rows.append(
                (
                    f"{title} ({how})",
                    "flat",
                    _peaks(ours, "sdk", mode, meter, server),
                    "no streaming path",
                    "-",
                    floor_cell if (mode, server) == ("stream", ONE_ANSWER) else "-",
                    _growth_verdict(ours, mode, meter, server),
                )
            )
    return rows

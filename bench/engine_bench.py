"""In-process benchmarks: engine turns over whole scripted consultations, and understanding.

Run with ``make bench`` (or ``python -m bench.engine_bench``); prints a Markdown section.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from bot.app import load_engine
from bot.channels.console import incoming_from_line, turn_json
from bot.dialogue import Session
from bot.understanding import reader, understand
from tests.support import compiled
from tests.support.patient import answer

ROOT = Path(__file__).resolve().parent.parent
MIN_TURNS = 10_000


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def engine_turns() -> dict[str, float]:
    engine = load_engine()
    vignettes = yaml.safe_load((ROOT / "tests/data/vignettes.yaml").read_text())
    latencies: list[float] = []
    cpu: list[float] = []
    sizes: list[int] = []
    consultations = 0
    started = time.perf_counter()
    while len(latencies) < MIN_TURNS:
        for vignette in vignettes:
            turn = engine.start(at=0.0)
            for _ in range(40):
                view = turn_json(engine, turn)
                if view["result"] is not None:
                    break
                incoming = incoming_from_line(
                    answer(view, vignette), turn, at=turn.session.updated_at + 1
                )
                before, before_cpu = time.perf_counter(), time.thread_time()
                turn = engine.step(turn.session, incoming)
                latencies.append(time.perf_counter() - before)
                cpu.append(time.thread_time() - before_cpu)
            consultations += 1
            sizes.append(len(turn.session.to_json().encode()))
    elapsed = time.perf_counter() - started
    assert Session.from_json(turn.session.to_json()) == turn.session
    return {
        "turns": len(latencies),
        "consultations": consultations,
        "p50_ms": percentile(latencies, 0.50) * 1e3,
        "p99_ms": percentile(latencies, 0.99) * 1e3,
        "max_ms": max(latencies) * 1e3,
        "cpu_p50_ms": percentile(cpu, 0.50) * 1e3,
        "cpu_p99_ms": percentile(cpu, 0.99) * 1e3,
        "consultations_per_s": consultations / elapsed,
        "session_bytes_max": max(sizes),
        "session_bytes_mean": statistics.mean(sizes),
    }


def understanding() -> dict[str, float]:
    engine = load_engine()
    messages = [
        u["text"] for u in yaml.safe_load((ROOT / "tests/data/utterances.yaml").read_text())
    ]
    latencies = []
    cpu = []
    for _ in range(20):
        for text in messages:
            before, before_cpu = time.perf_counter(), time.thread_time()
            understand(text, engine.lexicon)
            latencies.append(time.perf_counter() - before)
            cpu.append(time.thread_time() - before_cpu)
    return {
        "messages": len(latencies),
        "p50_ms": percentile(latencies, 0.50) * 1e3,
        "p99_ms": percentile(latencies, 0.99) * 1e3,
        "cpu_p99_ms": percentile(cpu, 0.99) * 1e3,
    }


def understanding_compiled() -> dict[str, float] | None:
    """The understanding benchmark in a process that reads with the mypyc-compiled copy
    (``build/compiled/``, built first when missing or stale); None when it cannot be built."""
    if compiled.c_compiler() is None:
        print("no C compiler found: the compiled (mypyc) rows are skipped", file=sys.stderr)
        return None
    target = compiled.DEFAULT_DIR
    if not compiled.is_fresh(target):
        print(f"building the compiled reader into {target} (mypyc, about 75 s)", file=sys.stderr)
        try:
            compiled.build(target)
        except subprocess.CalledProcessError as error:
            print(f"mypyc failed, compiled rows skipped:\n{error.stdout}{error.stderr}",
                  file=sys.stderr)  # fmt: skip
            return None
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(target), str(ROOT)])}
    command = [sys.executable, "-m", "bench.engine_bench", "--understanding-only"]
    run = subprocess.run(command, cwd=target, env=env, capture_output=True, text=True, check=True)
    figures: dict[str, float] = json.loads(run.stdout)
    return figures


def understanding_only() -> None:
    """``--understanding-only``: the understanding figures as JSON, from a compiled reader."""
    if not str(reader.__file__).endswith(".so"):
        sys.exit(f"the reader is not compiled here: {reader.__file__}")
    print(json.dumps(understanding()))


def main() -> None:
    turns = engine_turns()
    reading = understanding()
    native = understanding_compiled()
    print("## In-process: engine and understanding\n")
    print(f"Python {platform.python_version()} on {platform.machine()}, {sys.platform}.\n")
    print("| what | figure | bar |")
    print("|---|---|---|")
    print(f"| engine turn p50 | {turns['p50_ms']:.3f} ms | |")
    print(f"| engine turn p99 ({turns['turns']:,} turns, {turns['consultations']} consultations) "
          f"| {turns['p99_ms']:.3f} ms | < 1 ms |")  # fmt: skip
    print(f"| engine turn max | {turns['max_ms']:.3f} ms | |")
    print(f"| engine turn CPU time p50 / p99 (the thread's own time: without the waits for a "
          f"shared machine's other processes) | {turns['cpu_p50_ms']:.3f} / "
          f"{turns['cpu_p99_ms']:.3f} ms | |")  # fmt: skip
    print(f"| consultations per second (one core) | {turns['consultations_per_s']:.0f} | |")
    print(f"| stored session, largest / mean | {turns['session_bytes_max']} / "
          f"{turns['session_bytes_mean']:.0f} bytes | < 4 KB |")  # fmt: skip
    print(
        f"| understanding p50 ({reading['messages']:,} messages) | {reading['p50_ms']:.3f} ms | |"
    )
    print(f"| understanding p99 | {reading['p99_ms']:.3f} ms | < 1 ms |")
    print(f"| understanding CPU time p99 | {reading['cpu_p99_ms']:.3f} ms | |")
    if native is None:
        print(
            "| understanding, compiled (mypyc) | not measured: no C compiler or mypyc failed | |"
        )
    else:
        print(f"| understanding p50, compiled (mypyc) | {native['p50_ms']:.3f} ms | |")
        print(f"| understanding p99, compiled (mypyc) | {native['p99_ms']:.3f} ms | < 1 ms |")
        print(
            f"| understanding CPU time p99, compiled (mypyc) | {native['cpu_p99_ms']:.3f} ms | |"
        )
    print(
        "\nTimes are wall-clock from just before to just after the call (what a runner waits), "
        "on one thread with nothing else of hipbot running; on a shared machine they include "
        "the moments another process held the core, which the CPU-time rows leave out. "
        "The compiled rows read the same messages with the reader the Docker image runs: "
        "`bot/understanding/` compiled by mypyc (`build/compiled/`, in a process of its own)."
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--understanding-only"]:
        understanding_only()
    else:
        main()

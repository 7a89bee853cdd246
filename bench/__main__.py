"""``python -m bench``: run every benchmark and write BENCHMARKS.md (figures, machine, date)."""

from __future__ import annotations

import contextlib
import io
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from bench import engine_bench, soak, webhook_bench

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [engine_bench.main, webhook_bench.main]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    with contextlib.suppress(OSError, ValueError, IndexError):
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}"


KEPT_HEADINGS = ("## Levers", "## Faults")  # written by hand or by the tests: kept by `make bench`


def kept_sections(text: str) -> list[str]:
    """Sections of an earlier BENCHMARKS.md that ``make bench`` does not produce itself."""
    sections = ["## " + part for part in text.split("\n## ")[1:]]
    return [s.strip() + "\n" for s in sections if s.startswith(KEPT_HEADINGS)]


def main() -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False,
        cwd=ROOT,
    ).stdout.strip()  # fmt: skip
    parts = [
        "# Benchmarks\n",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {machine()}",
        f"- python: {sys.version.split()[0]}",
        f"- commit: {commit or 'unknown'}",
        "- command: `make bench` (no timing assertions live in the test suite)\n",
    ]
    for section in SECTIONS:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            section()
        print(out.getvalue(), end="")
        parts.append(out.getvalue())
    target = ROOT / "BENCHMARKS.md"
    previous = target.read_text() if target.exists() else ""
    if kept := soak.section_of(previous):
        parts.append(kept)  # written by `make soak`, which takes minutes: keep it
    parts += kept_sections(previous)
    target.write_text("\n".join(parts))
    print(f"\nwrote {ROOT / 'BENCHMARKS.md'}")


if __name__ == "__main__":
    main()

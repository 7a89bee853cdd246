"""Load held: 1,000 concurrent chats, each running whole consultations through the real
``hipbot webhook``, against SQLite (one process) and Redis (two replicas).

Nothing may be lost or sent twice, every consultation must end in a result, and the bot
processes' memory must stay flat (see ``bench/soak.py`` for how each is counted).

- The short version runs in every ``make test``: one consultation per chat, the fake Bot API
  answering after 10 ms (about 20 s per store on 2 cores).
- ``make soak`` runs the long version (marked ``slow``, deselected by default): consultations
  back to back for ``SOAK_SECONDS`` (150) per store with 50 ms per Bot API call, then writes the
  figures into BENCHMARKS.md. ``SOAK_CHATS``, ``SOAK_LATENCY_MS`` and ``SOAK_CONNECTIONS``
  change its load (``SOAK_CONNECTIONS`` the short one's too); ``SOAK_RESULTS=DIR`` saves each run's figures there as JSON.

Everything is bounded in time (a per-turn timeout and a limit for the whole run), talks only to
127.0.0.1, and the bot processes are always terminated.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvloop

from bench.soak import (
    SoakConfig,
    SoakGenerator,
    SoakResult,
    growth_kib,
    run_soak,
    section_of,
    step_of,
    write_section,
)

SHORT_CHATS = 1000
CHATS = int(os.environ.get("SOAK_CHATS", "1000"))
CONNECTIONS = int(os.environ.get("SOAK_CONNECTIONS", "100"))
SHORT_LATENCY = 0.010
SHORT_TIME_LIMIT = 120.0
LONG_SECONDS = float(os.environ.get("SOAK_SECONDS", "150"))
LONG_LATENCY = float(os.environ.get("SOAK_LATENCY_MS", "50")) / 1000


@pytest.fixture(params=["sqlite", "redis"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, str, int]]:
    """(name, STORE_URL, replicas): one SQLite process, or two replicas sharing Redis."""
    if request.param == "sqlite":
        yield "SQLite, 1 process", f"sqlite:///{tmp_path / 'soak.db'}", 1
    else:
        yield "Redis, 2 replicas", request.getfixturevalue("redis_url"), 2


def soak(config: SoakConfig) -> SoakResult:
    with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
        return runner.run(run_soak(config))


def report(result: SoakResult, capsys: pytest.CaptureFixture[str], logs: Path) -> None:
    with capsys.disabled():
        print(f"\n{result.summary()}")
    problems = result.problems()
    if problems:
        tails = [
            f"--- {log.name} ---\n{log.read_text(errors='replace')[-3000:]}"
            for log in sorted(logs.glob("*.log"))
        ]
        pytest.fail("\n".join(["the soak did not hold:", *problems, *tails]), pytrace=False)


def test_soak_short(
    store: tuple[str, str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1,000 chats × one whole consultation each, all at once."""
    name, url, replicas = store
    config = SoakConfig(
        name=name, store=url, replicas=replicas, chats=SHORT_CHATS, seconds=0.0,
        latency=SHORT_LATENCY, connections=CONNECTIONS, time_limit=SHORT_TIME_LIMIT,
        sample_every=0.25, logs=tmp_path,
    )  # fmt: skip
    result = soak(config)
    report(result, capsys, tmp_path)
    assert result.consultations == result.results == SHORT_CHATS


@pytest.mark.slow
def test_soak_long(
    store: tuple[str, str, int], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """1,000 chats running consultations back to back for minutes, at Telegram-like latency."""
    name, url, replicas = store
    config = SoakConfig(
        name=name, store=url, replicas=replicas, chats=CHATS, seconds=LONG_SECONDS,
        latency=LONG_LATENCY, connections=CONNECTIONS, time_limit=LONG_SECONDS + 120.0,
        sample_every=max(0.25, LONG_SECONDS / 300), logs=tmp_path,
    )  # fmt: skip
    result = soak(config)
    if results_dir := os.environ.get("SOAK_RESULTS"):
        folder = Path(results_dir)
        folder.mkdir(parents=True, exist_ok=True)
        order = "1" if replicas == 1 else "2"
        (folder / f"{order}-{name.split(',')[0].lower()}.json").write_text(result.to_json())
    report(result, capsys, tmp_path)
    assert result.consultations >= CHATS


# ---------------------------------------------------------------------------------------------
# The bookkeeping itself (fast): a soak that cannot see a duplicate or a leak proves nothing.
# ---------------------------------------------------------------------------------------------


def test_a_second_message_for_one_turn_and_a_message_nobody_asked_for_count_as_duplicated() -> (
    None
):
    generator = SoakGenerator(["http://127.0.0.1:9/telegram"], SoakConfig(name="t", store=""))
    generator.turn_of[1] = 3
    generator._sent(1, "the reply", ["3:yes", "3:no"])
    assert generator.duplicated == 0
    generator._sent(1, "the reply", ["3:yes", "3:no"])
    generator._sent(2, "to a chat that sent nothing", [])
    assert generator.duplicated == 2
    assert step_of(["3:yes", "3:no"]) == 3
    assert step_of([]) is None


def test_memory_growth_is_measured_over_the_second_half() -> None:
    warm_then_flat = [(t, 80_000 if t > 2 else 60_000 + t * 10_000) for t in range(20)]
    leaking = [(t, 80_000 + t * 1_000) for t in range(20)]
    assert growth_kib(warm_then_flat) == 0
    assert growth_kib(leaking) == 10_000
    result = SoakResult("t", 1, 1, 0.0, 10.0, 100, rss_growth_mib=[16.0], samples=20)
    assert any("RSS grew" in problem for problem in result.problems())


def test_the_soak_section_of_benchmarks_is_replaced_in_place(tmp_path: Path) -> None:
    result = SoakResult("SQLite, 1 process", 1000, 1, 150.0, 50.0, 100, elapsed=150.0,
                        consultations=9000, results=9000, turns=108_000, answered=108_000,
                        rss_start_mib=[75.0], rss_peak_mib=[90.0], rss_growth_mib=[0.5])  # fmt: skip
    assert SoakResult.from_json(result.to_json()) == result
    path = tmp_path / "BENCHMARKS.md"
    path.write_text("# Benchmarks\n\n## Webhook\n\nfigures\n\n## Soak\n\nold\n\n## Later\n\nx\n")
    write_section(path, [result])
    text = path.read_text()
    assert "old" not in text
    assert text.index("## Webhook") < text.index("## Soak") < text.index("## Later")
    row = "| SQLite, 1 process | 1,000 | 150 | 9,000 (9,000) | 108,000 | 720 |"
    assert row in section_of(text)
    path.write_text("# Benchmarks\n\n## Webhook\n\nfigures\n")
    write_section(path, [result])
    write_section(path, [result])
    assert path.read_text().count("## Soak") == 1
    assert path.read_text().startswith("# Benchmarks\n\n## Webhook\n\nfigures\n\n## Soak\n")

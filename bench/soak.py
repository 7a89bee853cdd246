"""The soak test's machinery: 1,000+ concurrent chats running whole consultations through the
real ``hipbot webhook`` process(es), with the bookkeeping that proves nothing was lost or sent
twice and that memory stays flat.

``tests/test_soak.py`` drives it (a short run in ``make test``, a long one in ``make soak``).
``python -m bench.soak RESULTS_DIR [BENCHMARKS.md]`` writes the figures the long run saved into
the "## Soak" section of BENCHMARKS.md (replaced if present, appended otherwise).

How a run is checked, with the load generator's own bookkeeping:

- lost: an update not answered 200 by the webhook, or whose reply never reached the fake Bot
  API within the turn timeout (every chat sends its next update only after both);
- duplicated: every ``sendMessage`` is counted per (chat, turn, text) at the fake, where a turn
  is the update the chat is waiting on; a turn must not get the same message twice (a result
  is up to three different messages), and nothing may arrive for a chat after its last turn;
- out of step: the reply's buttons carry the conversation's step, which the engine advances
  once per applied update, so turn *k* of a fresh chat must come back with step *k* (an update
  applied twice, skipped or reordered shows here);
- result: every consultation must end with the result's buttons;
- memory: each bot process's RSS is sampled from ``/proc/PID/status``; the growth over the
  second half of the load (peak of the second half minus peak of the first) must stay small.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bench.webhook_bench import (
    SECRET,
    LoadGenerator,
    hipbot_env,
    next_action,
    processes,
    wait_healthy,
)
from tests.support.ports import free_port

FIRST_CHAT = 10_000
CHAT_STRIDE = 100_000
"""Consultation *k* of chat *n* uses chat id ``FIRST_CHAT + n + k * CHAT_STRIDE``: a new runner."""
MAX_CHATS = CHAT_STRIDE - FIRST_CHAT
MAX_TURNS = 40
"""A consultation still without a result after this many turns is stuck (they need 10 or 14)."""
RESULT_BUTTONS = frozenset({"exercises", "summary", "restart"})
MEMORY_GROWTH_LIMIT_MIB = 15.0
SECTION = "## Soak"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
Samples = list[tuple[float, int]]
"""RSS samples of one process: (seconds since the load started, KiB)."""


@dataclass(frozen=True)
class SoakConfig:
    """One soak run.

    Attributes:
        name: The scenario's name in reports ("SQLite, 1 process").
        store: ``STORE_URL`` for the bot processes.
        replicas: How many ``hipbot webhook`` processes share the store (round robin).
        chats: Concurrent chats.
        seconds: 0 runs one consultation per chat; otherwise each chat starts a new
            consultation (a new chat id) until this many seconds have passed, and always
            finishes the one under way.
        latency: Seconds the fake Bot API takes to answer each call.
        connections: Connections the generator opens to the webhook at most, like Telegram's
            ``max_connections`` (100 at most); 0 opens one per chat.
        turn_timeout: Seconds one turn (POST answered and reply received) may take.
        time_limit: Seconds the whole load may take; anything unfinished then counts as lost.
        sample_every: Seconds between RSS samples.
        logs: A directory for the bot processes' output (dropped when ``None``).
    """

    name: str
    store: str
    replicas: int = 1
    chats: int = 1000
    seconds: float = 0.0
    latency: float = 0.010
    connections: int = 100
    turn_timeout: float = 30.0
    time_limit: float = 120.0
    sample_every: float = 0.25
    logs: Path | None = None


@dataclass
class SoakResult:
    """What a soak run measured; :meth:`problems` lists every broken promise."""

    name: str
    chats: int
    replicas: int
    seconds: float
    latency_ms: float
    connections: int
    elapsed: float = 0.0
    consultations: int = 0
    results: int = 0
    turns: int = 0
    answered: int = 0
    duplicated: int = 0
    out_of_step: int = 0
    timed_out: bool = False
    failures: dict[str, int] = field(default_factory=dict)
    exited: list[int] = field(default_factory=list)
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    turn_p50_ms: float = 0.0
    turn_p99_ms: float = 0.0
    rss_start_mib: list[float] = field(default_factory=list)
    rss_peak_mib: list[float] = field(default_factory=list)
    rss_hwm_mib: list[float] = field(default_factory=list)
    rss_growth_mib: list[float] = field(default_factory=list)
    samples: int = 0
    date: str = ""
    commit: str = ""

    @property
    def lost(self) -> int:
        """Updates sent whose turn did not complete (non-200, no reply, time limit)."""
        return self.turns - self.answered

    @property
    def rate(self) -> float:
        """Answered turns per second."""
        return self.answered / self.elapsed if self.elapsed else 0.0

    @property
    def peak_rss_mib(self) -> float:
        """The highest RSS of any bot process (kernel high-water mark included)."""
        return max([*self.rss_peak_mib, *self.rss_hwm_mib], default=0.0)

    @property
    def growth_mib(self) -> float:
        """The largest RSS growth of any bot process over the second half of the load."""
        return max(self.rss_growth_mib, default=0.0)

    def problems(self) -> list[str]:
        """Every broken promise, in words; empty when the run held."""
        found = []
        if self.lost:
            found.append(f"{self.lost} of {self.turns} turns lost: {self.failures}")
        if self.duplicated:
            found.append(f"{self.duplicated} duplicated replies")
        if self.out_of_step:
            found.append(f"{self.out_of_step} replies carried another step than their update")
        if self.results != self.consultations:
            found.append(f"{self.consultations - self.results} of {self.consultations} "
                         "consultations did not end in a result")  # fmt: skip
        if self.consultations < self.chats:
            found.append(f"only {self.consultations} consultations for {self.chats} chats")
        if self.timed_out:
            found.append("the run hit its time limit")
        if self.exited:
            found.append(f"bot processes exited during the run: {self.exited}")
        if self.samples < 4:
            found.append(f"only {self.samples} RSS samples per process")
        if self.growth_mib >= MEMORY_GROWTH_LIMIT_MIB:
            found.append(f"RSS grew {self.growth_mib:.1f} MiB over the second half "
                         f"(limit {MEMORY_GROWTH_LIMIT_MIB:g} MiB)")  # fmt: skip
        return found

    def summary(self) -> str:
        """One paragraph of figures for the test output."""
        growth = ", ".join(f"{g:+.1f}" for g in self.rss_growth_mib)
        rss = ", ".join(f"{s:.0f} → {p:.0f}" for s, p in zip(self.rss_start_mib, self.rss_peak_mib, strict=True))  # fmt: skip
        return (
            f"soak {self.name}: {self.chats} concurrent chats, {self.consultations} "
            f"consultations ({self.results} ended in a result), {self.answered}/{self.turns} "
            f"turns in {self.elapsed:.1f} s = {self.rate:.0f} turns/s; webhook latency p50 "
            f"{self.p50_ms:.0f} ms, p99 {self.p99_ms:.0f} ms, max {self.max_ms:.0f} ms; turn "
            f"with queueing p50 {self.turn_p50_ms:.0f} ms, p99 {self.turn_p99_ms:.0f} ms; lost "
            f"{self.lost}, duplicated {self.duplicated}, out of step {self.out_of_step}; RSS "
            f"MiB per process {rss} (peak {self.peak_rss_mib:.1f}), growth over the second "
            f"half {growth} MiB [Bot API latency {self.latency_ms:g} ms, "
            f"{self.connections or 'one per chat'} connections]"
        )

    def to_json(self) -> str:
        """The figures as JSON (for :func:`write_section`)."""
        return json.dumps(asdict(self), indent=1)

    @classmethod
    def from_json(cls, text: str) -> SoakResult:
        """The inverse of :meth:`to_json`."""
        return cls(**json.loads(text))


def read_status_kib(pid: int, field_name: str = "VmRSS") -> int:
    """A ``/proc/PID/status`` memory field in KiB (0 when the process is gone)."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return 0
    for line in lines:
        if line.startswith(f"{field_name}:"):
            return int(line.split()[1])
    return 0


def growth_kib(samples: Sequence[tuple[float, int]]) -> int:
    """Growth over the second half: the second half's peak minus the first half's peak.

    For a leak (steady growth) this is the growth from the middle to the end; a plateau reached
    during warm-up gives about 0.
    """
    if len(samples) < 2:
        return 0
    middle = samples[-1][0] / 2
    first = [kib for at, kib in samples if at < middle] or [samples[0][1]]
    second = [kib for at, kib in samples if at >= middle]
    return max(second) - max(first)


def step_of(buttons: list[str]) -> int | None:
    """The step a reply's buttons belong to (``"12:yes"`` → 12)."""
    if not buttons:
        return None
    prefix = buttons[-1].split(":", 1)[0]
    return int(prefix) if prefix.isdecimal() else None


def _values(buttons: list[str]) -> set[str]:
    return {data.split(":", 1)[1] for data in buttons if ":" in data}


TELLER_STORY = (
    "sore outer hip after my long runs since i increased my mileage, worse lying on that side "
    "and tender to touch, no numbness or tingling, no swelling, no clicking. I'm 41"
)
TYPED_NOES = ("nope", "no it doesn't", "not really", "no", "never")


def teller_action(buttons: list[str]) -> tuple[str, str] | None:
    """A runner who tells a lot at once (location and age included) and types the answers to
    the targeted questions: a shorter path (10 turns) than :func:`next_action` (14 turns)."""
    values = {data.split(":", 1)[1]: data for data in buttons if ":" in data}
    if "skip" in values:
        return ("text", TELLER_STORY)
    if "yes" in values and "no" in values:
        return ("text", TYPED_NOES[(step_of(buttons) or 0) % len(TYPED_NOES)])
    return next_action(buttons)


Policy = Callable[[list[str]], tuple[str, str] | None]
POLICIES: tuple[Policy, ...] = (next_action, teller_action)
"""Chat *n* follows policy *n* mod 2: every other chat taps through the bench's 14-turn path."""


class SoakGenerator(LoadGenerator):
    """The bench's load generator plus per-turn bookkeeping of every message sent."""

    def __init__(self, urls: list[str], config: SoakConfig) -> None:
        super().__init__(urls, echo=False)
        self.api.latency = config.latency
        self.config = config
        self.turn_of: dict[int, int] = {}
        self.replies: Counter[tuple[int, int, str]] = Counter()
        self.stray = 0
        self.answered = 0
        self.out_of_step = 0
        self.consultations = 0
        self.results = 0
        self.latencies: list[float] = []
        self.turn_times: list[float] = []
        self.failures: Counter[str] = Counter()
        # Telegram holds a bot's pending updates and delivers them over at most
        # ``max_connections`` connections; a FIFO semaphore does the same here. (aiohttp's own
        # connection limit is not fair: a chat that just got its answer grabs the freed
        # connection before the waiters, so some chats would starve while others race ahead.)
        self.gate: asyncio.Semaphore | contextlib.nullcontext[None] = (
            asyncio.Semaphore(config.connections)
            if config.connections
            else contextlib.nullcontext()
        )

    def _sent(self, chat_id: int, text: str, buttons: list[str]) -> None:
        turn = self.turn_of.get(chat_id)
        if turn is None:
            self.stray += 1  # a message to a chat that never sent anything
            return
        self.replies[(chat_id, turn, text)] += 1
        super()._sent(chat_id, text, buttons)

    @property
    def duplicated(self) -> int:
        """Messages sent again for the same turn, plus messages to chats that sent nothing."""
        return self.stray + sum(count - 1 for count in self.replies.values() if count > 1)

    async def soak_turn(
        self, http: aiohttp.ClientSession, chat_id: int, action: tuple[str, str]
    ) -> list[str] | None:
        """Send one update; its reply's buttons once it was answered 200 and the reply arrived,
        ``None`` (counted) otherwise."""
        turn = self.turn_of[chat_id] = self.turn_of.get(chat_id, 0) + 1
        future: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        self.waiting[chat_id] = future
        queued = time.perf_counter()
        try:
            async with asyncio.timeout(self.config.turn_timeout):
                async with self.gate:  # Telegram's queue: first come, first served
                    body = json.dumps(self._update(chat_id, action)).encode()
                    url = self.urls[self.requests % len(self.urls)]
                    self.requests += 1
                    sent = time.perf_counter()
                    async with http.post(url, data=body, headers=HEADERS) as response:
                        await response.read()
                        status = response.status
                if status != 200:
                    self.failures[f"HTTP {status}"] += 1
                    return None
                buttons = await future
        except TimeoutError:
            self.failures["no answer within the turn timeout"] += 1
            return None
        except aiohttp.ClientError as error:
            self.failures[type(error).__name__] += 1
            return None
        finally:
            if self.waiting.get(chat_id) is future:
                del self.waiting[chat_id]
        done = time.perf_counter()
        self.latencies.append(done - sent)
        self.turn_times.append(done - queued)
        self.answered += 1
        if step_of(buttons) != turn:
            self.out_of_step += 1
        return buttons

    async def consult(self, http: aiohttp.ClientSession, index: int, deadline: float) -> None:
        """One chat: whole consultations back to back, each as a new runner, until the deadline
        (at least one); stops at the first lost turn."""
        for consultation in range(CHAT_STRIDE):
            chat_id = FIRST_CHAT + index + consultation * CHAT_STRIDE
            self.consultations += 1
            action: tuple[str, str] | None = ("text", "/start")
            buttons: list[str] = []
            for _ in range(MAX_TURNS):
                if action is None:
                    break
                answered = await self.soak_turn(http, chat_id, action)
                if answered is None:
                    return
                buttons = answered
                action = POLICIES[index % len(POLICIES)](buttons)
            if RESULT_BUTTONS.issubset(_values(buttons)):
                self.results += 1
            if time.perf_counter() >= deadline:
                return

    async def run_chats(self) -> tuple[float, bool]:
        """Run every chat; returns (seconds, whether the time limit stopped the run)."""
        config = self.config
        connector = aiohttp.TCPConnector(limit=config.connections)
        async with aiohttp.ClientSession(connector=connector) as http:
            started = time.perf_counter()
            deadline = started + config.seconds
            tasks = [
                asyncio.create_task(self.consult(http, index, deadline))
                for index in range(config.chats)
            ]
            timed_out = False
            try:
                async with asyncio.timeout(config.time_limit):
                    await asyncio.gather(*tasks)
            except TimeoutError:
                timed_out = True
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)
            return time.perf_counter() - started, timed_out


async def _sample(pids: list[int], every: float, into: list[Samples]) -> None:
    started = time.perf_counter()
    while True:
        at = time.perf_counter() - started
        for pid, samples in zip(pids, into, strict=True):
            samples.append((at, read_status_kib(pid)))
        await asyncio.sleep(every)


def _commit() -> str:
    """The checked-out commit, ``-dirty`` when the work tree has changes."""
    return subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, check=False,
        cwd=Path(__file__).resolve().parent.parent,
    ).stdout.strip()  # fmt: skip


def _percentile(ordered: list[float], fraction: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000


async def run_soak(config: SoakConfig) -> SoakResult:
    """Start the bot process(es) on ``config.store``, run the chats, stop everything."""
    if not 0 < config.chats <= MAX_CHATS:
        raise ValueError(f"chats must be 1..{MAX_CHATS}")
    ports = [free_port() for _ in range(config.replicas)]
    urls = [f"http://127.0.0.1:{port}/telegram" for port in ports]
    generator = SoakGenerator(urls, config)
    result = SoakResult(
        name=config.name, chats=config.chats, replicas=config.replicas, seconds=config.seconds,
        latency_ms=config.latency * 1000, connections=config.connections,
        date=f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", commit=_commit(),
    )  # fmt: skip
    await generator.api.start()
    try:
        commands = [
            (
                [sys.executable, "-m", "bot", "webhook"],
                hipbot_env(generator.api, port, config.store),
            )
            for port in ports
        ]
        with processes(commands, logs=config.logs) as started:
            await wait_healthy(
                [url.replace("/telegram", "/healthz") for url in urls], started, config.logs
            )
            pids = [process.pid for process in started]
            samples: list[Samples] = [[] for _ in pids]
            sampler = asyncio.create_task(_sample(pids, config.sample_every, samples))
            try:
                result.elapsed, result.timed_out = await generator.run_chats()
            finally:
                sampler.cancel()
                await asyncio.gather(sampler, return_exceptions=True)
            # A reply sent twice would still be on its way: give it time to be counted.
            await asyncio.sleep(max(0.5, 10 * config.latency))
            result.rss_hwm_mib = [read_status_kib(pid, "VmHWM") / 1024 for pid in pids]
            result.exited = [code for p in started if (code := p.poll()) is not None]
    finally:
        await generator.api.stop()
    ordered = sorted(generator.latencies)
    result.p50_ms, result.p99_ms = _percentile(ordered, 0.50), _percentile(ordered, 0.99)
    result.max_ms = ordered[-1] * 1000 if ordered else 0.0
    turns = sorted(generator.turn_times)
    result.turn_p50_ms, result.turn_p99_ms = _percentile(turns, 0.50), _percentile(turns, 0.99)
    result.consultations, result.results = generator.consultations, generator.results
    result.turns, result.answered = generator.requests, generator.answered
    result.duplicated, result.out_of_step = generator.duplicated, generator.out_of_step
    result.failures = dict(generator.failures)
    result.samples = min((len(s) for s in samples), default=0)
    result.rss_start_mib = [s[0][1] / 1024 if s else 0.0 for s in samples]
    result.rss_peak_mib = [max(kib for _, kib in s) / 1024 if s else 0.0 for s in samples]
    result.rss_growth_mib = [growth_kib(s) / 1024 for s in samples]
    return result


def render_section(results: list[SoakResult]) -> str:
    """The "## Soak" section of BENCHMARKS.md for the long run's results."""
    from bench.__main__ import machine  # here: bench.__main__ imports this module

    first = results[0]
    lines = [
        SECTION,
        "",
        f"`make soak` ({first.date}, commit {first.commit or 'unknown'}, {machine()}): "
        f"{first.chats:,} concurrent chats, each running whole consultations back to back "
        "(greeting → red-flag screen → story → targeted questions → review → result; every "
        "other chat taps through 14 turns, the rest tell location and age in their story and "
        "type their answers, 10 turns; every consultation is a new runner) for "
        f"{first.seconds:g} s (then the consultations under way finish) through the real "
        "`hipbot webhook`. The fake Bot API answers every "
        f"call after {first.latency_ms:g} ms; the load generator plays Telegram over at most "
        f"{first.connections or 'one per chat'} connections, first come first served, like "
        "Telegram's `max_connections`; each chat sends its next update the moment its reply "
        "arrives (no think time). Webhook latency is the POST on the wire → its reply "
        "received by the fake API and the POST answered; a turn adds the wait for a connection "
        "(with every chat always waiting, turn time ≈ chats / throughput). The short version "
        "(1,000 chats × one consultation, 10 ms) runs in every `make test`.",
        "",
        "| scenario | chats | seconds | consultations (ended in a result) | turns | turns/s | "
        "webhook p50 / p99 ms | turn p50 / p99 ms | lost | duplicated | RSS start → peak MiB | "
        "RSS growth, 2nd half |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        growth = " / ".join(f"{g:+.1f}" for g in r.rss_growth_mib)
        rss = " / ".join(f"{a:.0f} → {b:.0f}" for a, b in zip(r.rss_start_mib, r.rss_peak_mib, strict=True))  # fmt: skip
        lines.append(
            f"| {r.name} | {r.chats:,} | {r.elapsed:.0f} | {r.consultations:,} ({r.results:,}) | "
            f"{r.answered:,} | {r.rate:.0f} | {r.p50_ms:.0f} / {r.p99_ms:.0f} | "
            f"{r.turn_p50_ms:.0f} / {r.turn_p99_ms:.0f} | {r.lost} | {r.duplicated} | {rss} | "
            f"{growth} MiB |"
        )
    lines += [
        "",
        "Lost: an update not answered 200 or whose reply never arrived. Duplicated: more than "
        "one `sendMessage` for one update (counted per chat and turn at the fake). Every reply "
        "also carried the step of its own update (none applied twice or skipped: "
        f"{sum(r.out_of_step for r in results)} out of step). RSS is sampled from "
        "`/proc/PID/status` throughout; growth is the second half's peak minus the first "
        f"half's, per process (limit {MEMORY_GROWTH_LIMIT_MIB:g} MiB).",
        "",
    ]
    return "\n".join(lines)


def _bounds(text: str) -> tuple[int, int] | None:
    """Where the "## Soak" section of a BENCHMARKS.md text starts and ends."""
    start = text.find(f"\n{SECTION}\n")
    if start < 0:
        return None
    end = text.find("\n## ", start + 1)
    return start + 1, end + 1 if end >= 0 else len(text)


def section_of(text: str) -> str:
    """The "## Soak" section of a BENCHMARKS.md text (kept across ``make bench``), or ""."""
    bounds = _bounds(text)
    return text[bounds[0] : bounds[1]].strip() + "\n" if bounds else ""


def write_section(path: Path, results: list[SoakResult]) -> None:
    """Replace (or append) the "## Soak" section of ``path``."""
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    bounds = _bounds(text)
    before, after = (text[: bounds[0]], text[bounds[1] :]) if bounds else (text, "")
    new = f"{before.rstrip()}\n\n{render_section(results).strip()}\n"
    path.write_text(f"{new}\n{after.lstrip()}" if after.strip() else new)


def main(argv: list[str]) -> int:
    """``python -m bench.soak RESULTS_DIR [BENCHMARKS.md]``."""
    if not 1 <= len(argv) <= 2:
        print(__doc__)
        return 2
    files = sorted(Path(argv[0]).glob("*.json"))
    if not files:
        print(f"no soak results in {argv[0]} (run `make soak`)", file=sys.stderr)
        return 1
    results = [SoakResult.from_json(file.read_text()) for file in files]
    target = (
        Path(argv[1])
        if len(argv) == 2
        else Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
    )
    write_section(target, results)
    for result in results:
        print(result.summary())
    print(f"wrote the {SECTION[3:]} section of {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Webhook end to end under real Telegram latency, against the bare PTB echo bot.

A load generator plays Telegram: many chats at once, each sending its next answer only after the
bot's reply arrived, each running whole consultations. The bot is the real ``hipbot webhook``
process (SQLite, or two replicas sharing Redis); the Bot API is a local fake that answers every
call after ``LATENCY`` seconds. Everything runs on 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import aiohttp
import uvloop

from bench.fake_api import LeanBotAPI
from tests.fakes.redis_server import RedisServer, find_redis_server
from tests.support.ports import free_port

TOKEN = "123456:bench-token-not-a-secret"
SECRET = "bench-secret"
LATENCY = float(os.environ.get("BENCH_LATENCY_MS", "50")) / 1000
DURATION = float(os.environ.get("BENCH_SECONDS", "12"))
CHAT_COUNTS = (1, 50, 200)
STORY = "my outer hip hurts after runs since i upped my mileage"
ECHO_TURNS = 12
TURN_TIMEOUT = 30.0
STARTUP_TIMEOUT = 30.0


@dataclass
class Result:
    """One scenario's figures."""

    name: str
    chats: int
    updates: int
    seconds: float
    latencies: list[float] = field(repr=False)
    lost: int = 0
    cpu_seconds: float = 0.0
    """CPU time the bot processes used during the run (all replicas)."""

    @property
    def cpu_ms_per_update(self) -> float:
        return self.cpu_seconds / self.updates * 1000 if self.updates else 0.0

    @property
    def rate(self) -> float:
        return self.updates / self.seconds

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        return (
            ordered[min(len(ordered) - 1, int(len(ordered) * fraction))] * 1000 if ordered else 0.0
        )


def next_action(buttons: list[str]) -> tuple[str, str] | None:
    """What a runner does next given the buttons on screen: ("tap", data) or ("text", text)."""
    values = {data.split(":", 1)[1]: data for data in buttons if ":" in data}
    if "exercises" in values:
        return None  # the result: this consultation is done
    for wanted in ("start", "none", "side", "no", "confirm"):
        if wanted in values:
            return ("tap", values[wanted])
    if "skip" in values:
        return ("text", STORY)
    if "adult" in values:
        return ("text", "34")
    return ("tap", buttons[0]) if buttons else ("text", "/start")


class LoadGenerator:
    """Plays Telegram for many chats against one or more webhook URLs."""

    def __init__(self, urls: list[str], *, echo: bool) -> None:
        self.urls = urls
        self.echo = echo
        self.api = LeanBotAPI(token=TOKEN, latency=LATENCY, on_sent=self._sent)
        self.waiting: dict[int, asyncio.Future[list[str]]] = {}
        self.update_id = 0
        self.requests = 0

    def _sent(self, chat_id: int, text: str, buttons: list[str]) -> None:
        if self.echo or buttons:
            future = self.waiting.pop(chat_id, None)
            if future is not None and not future.done():
                future.set_result(buttons)

    def _update(self, chat_id: int, action: tuple[str, str]) -> dict[str, object]:
        self.update_id += 1
        user = {"id": chat_id, "is_bot": False, "first_name": "Runner"}
        chat = {"id": chat_id, "type": "private", "first_name": "Runner"}
        now = int(time.time())
        kind, value = action
        if kind == "tap":
            message = {"message_id": 1, "date": now, "chat": chat,
                       "from": {"id": 4242, "is_bot": True, "first_name": "HipBot"}, "text": "?"}  # fmt: skip
            return {"update_id": self.update_id, "callback_query": {
                "id": str(self.update_id), "from": user, "chat_instance": "bench", "data": value,
                "message": message}}  # fmt: skip
        return {"update_id": self.update_id, "message": {
            "message_id": self.update_id, "date": now, "chat": chat, "from": user, "text": value}}  # fmt: skip

    async def turn(
        self, http: aiohttp.ClientSession, chat_id: int, action: tuple[str, str]
    ) -> tuple[float, list[str]]:
        """Send one update and wait for the bot's reply to it; returns (seconds, buttons)."""
        future: asyncio.Future[list[str]] = asyncio.get_running_loop().create_future()
        self.waiting[chat_id] = future
        body = json.dumps(self._update(chat_id, action))
        url = self.urls[self.requests % len(self.urls)]
        self.requests += 1
        started = time.perf_counter()
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}

        async def post() -> None:
            async with http.post(url, data=body, headers=headers) as response:
                if response.status != 200:
                    raise RuntimeError(f"webhook answered {response.status}")
                await response.read()

        replied = 0.0

        async def reply() -> list[str]:
            nonlocal replied
            buttons = await asyncio.wait_for(future, TURN_TIMEOUT)
            replied = time.perf_counter()
            return buttons

        # The latency is POST sent → reply received by the fake API; the next update of the chat
        # still waits for the POST's answer too, as Telegram does.
        _, buttons = await asyncio.gather(post(), reply())
        return replied - started, buttons

    async def chat(
        self, http: aiohttp.ClientSession, first_id: int, deadline: float, result: Result
    ) -> None:
        """One chat running consultations (or echo rounds) back to back until the deadline."""
        consultation = 0
        while time.perf_counter() < deadline:
            chat_id = first_id + consultation * 100_000
            consultation += 1
            buttons: list[str] = []
            action: tuple[str, str] | None = ("text", "/start")
            turns = 0
            while action is not None and time.perf_counter() < deadline:
                try:
                    seconds, buttons = await self.turn(http, chat_id, action)
                except (TimeoutError, RuntimeError, aiohttp.ClientError):
                    result.lost += 1
                    return
                result.latencies.append(seconds)
                result.updates += 1
                turns += 1
                if self.echo:
                    action = ("text", f"echo {turns}") if turns < ECHO_TURNS else None
                else:
                    action = next_action(buttons)

    async def run(self, name: str, chats: int) -> Result:
        result = Result(name, chats, 0, 0.0, [])
        connector = aiohttp.TCPConnector(limit=0, force_close=False)
        async with aiohttp.ClientSession(connector=connector) as http:
            started = time.perf_counter()
            deadline = started + DURATION
            await asyncio.gather(
                *(self.chat(http, 10_000 + n, deadline, result) for n in range(chats))
            )
            result.seconds = time.perf_counter() - started
        return result


@contextlib.contextmanager
def processes(
    commands: list[tuple[list[str], dict[str, str]]], *, logs: Path | None = None
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """Start ``commands`` (each with extra environment); always terminate them on exit.

    Their output is dropped, or written to ``logs/process-N.log`` when ``logs`` is given.
    """
    started = []
    with contextlib.ExitStack() as files:
        try:
            for index, (command, env) in enumerate(commands):
                output: int | IO[bytes] = subprocess.DEVNULL
                if logs is not None:
                    output = files.enter_context((logs / f"process-{index}.log").open("ab"))
                started.append(
                    subprocess.Popen(
                        command,
                        env={**os.environ, **env},
                        stdin=subprocess.DEVNULL,
                        stdout=output,
                        stderr=subprocess.STDOUT if logs is not None else subprocess.DEVNULL,
                    )
                )
            yield started
        finally:
            for process in started:
                process.terminate()
            for process in started:
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


async def wait_healthy(
    urls: list[str], started: list[subprocess.Popen[bytes]], logs: Path | None = None
) -> None:
    """Wait until every ``/healthz`` answers 200; fail with the reason if a process exits first."""
    deadline = time.perf_counter() + STARTUP_TIMEOUT
    async with aiohttp.ClientSession() as http:
        for index, (url, process) in enumerate(zip(urls, started, strict=True)):
            while True:
                with contextlib.suppress(aiohttp.ClientError):
                    async with http.get(url) as response:
                        if response.status == 200:
                            break
                if (code := process.poll()) is not None:
                    raise RuntimeError(
                        f"process {index} exited with status {code} before {url} was healthy"
                        + _log_tail(logs, index)
                    )
                if time.perf_counter() > deadline:
                    raise TimeoutError(f"{url} did not become healthy" + _log_tail(logs, index))
                await asyncio.sleep(0.1)


def _log_tail(logs: Path | None, index: int) -> str:
    if logs is None:
        return ""
    log = logs / f"process-{index}.log"
    text = log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"
    return f"\n--- {log.name} ---\n{text}"


def hipbot_env(api: LeanBotAPI, port: int, store_url: str) -> dict[str, str]:
    return {
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "STORE_URL": store_url,
        "LOG_LEVEL": "INFO",  # the default: the figures include what a default deploy logs
        # Telegram's own maximum: uvicorn's concurrency limit (4 per connection) then covers
        # the benchmark's 200 chats in flight at once.
        "WEBHOOK_MAX_CONNECTIONS": "100",
        # The fake Bot API has no flood limits; Telegram's ~30 messages/s cap is the default.
        "TELEGRAM_MAX_MESSAGES_PER_SECOND": "0",
    }


async def scenario(
    name: str, chats: int, *, replicas: int, store: str, echo_concurrent: int = 0
) -> Result:
    """Start the bot processes, drive ``chats`` chats for DURATION seconds, stop them."""
    ports = [free_port() for _ in range(replicas)]
    webhooks = [f"http://127.0.0.1:{port}/telegram" for port in ports]
    generator = LoadGenerator(webhooks, echo=bool(echo_concurrent))
    await generator.api.start()
    try:
        if echo_concurrent:
            extra = ["--concurrent", str(echo_concurrent)] if echo_concurrent > 1 else []
            commands = [([sys.executable, "-m", "bench.echo_bot", str(ports[0]), *extra],
                         {"TOKEN": TOKEN, "BASE_URL": generator.api.base_url})]  # fmt: skip
        else:
            commands = [([sys.executable, "-m", "bot", "webhook"],
                         hipbot_env(generator.api, port, store)) for port in ports]  # fmt: skip
        with processes(commands) as started:
            await wait_healthy([url.replace("/telegram", "/healthz") for url in webhooks], started)
            before = sum(cpu_seconds(p.pid) for p in started)
            result = await generator.run(name, chats)
            result.cpu_seconds = sum(cpu_seconds(p.pid) for p in started) - before
            return result
    finally:
        await generator.api.stop()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of process ``pid`` so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _start_chat(
    generator: LoadGenerator, http: aiohttp.ClientSession, gate: asyncio.Semaphore, chat: int
) -> None:
    async with gate:
        await generator.turn(http, chat, ("text", "/start"))


async def footprint(sessions: int = 10_000) -> dict[str, float]:
    """Start-up time to the first answered update, and RSS with ``sessions`` live sessions."""
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for store in ("memory://", f"sqlite:///{Path(tmp) / 'footprint.db'}"):
            port = free_port()
            generator = LoadGenerator([f"http://127.0.0.1:{port}/telegram"], echo=False)
            await generator.api.start()
            env = {**os.environ, **hipbot_env(generator.api, port, store)}
            started = time.perf_counter()
            process = subprocess.Popen(  # noqa: ASYNC220 - started once, before any load
                [sys.executable, "-m", "bot", "webhook"], env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            try:
                connector = aiohttp.TCPConnector(limit=0)
                async with aiohttp.ClientSession(connector=connector) as http:
                    while True:  # POST /start until the first reply comes back
                        try:
                            await generator.turn(http, 1, ("text", "/start"))
                            break
                        except (aiohttp.ClientError, RuntimeError, TimeoutError):
                            if time.perf_counter() - started > STARTUP_TIMEOUT:
                                raise
                            await asyncio.sleep(0.02)
                    if store == "memory://":
                        figures["startup_s"] = time.perf_counter() - started
                    base = rss_kib(process.pid)
                    gate = asyncio.Semaphore(200)

                    await asyncio.gather(
                        *(_start_chat(generator, http, gate, 100 + n) for n in range(sessions))
                    )
                    kind = store.split(":")[0]
                    figures[f"{kind}_rss_mib"] = rss_kib(process.pid) / 1024
                    figures[f"{kind}_rss_before_mib"] = base / 1024
            finally:
                process.terminate()
                process.wait(timeout=20)
                await generator.api.stop()
        figures["sqlite_file_kib"] = (Path(tmp) / "footprint.db").stat().st_size / 1024
    return figures


def row(result: Result) -> str:
    return (f"| {result.name} | {result.chats} | {result.updates} | {result.rate:.0f} | "
            f"{result.percentile(0.50):.0f} | {result.percentile(0.99):.0f} | "
            f"{result.cpu_ms_per_update:.2f} | {result.lost} |")  # fmt: skip


async def run_all() -> list[Result]:
    results: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        for chats in CHAT_COUNTS:
            store = f"sqlite:///{Path(tmp) / f'bench-{chats}.db'}"
            results.append(
                await scenario("hipbot, SQLite, 1 process", chats, replicas=1, store=store)
            )
        redis_path = find_redis_server()
        if redis_path is not None:
            with RedisServer(Path(tmp) / "redis", executable=redis_path) as redis:
                for index, chats in enumerate(CHAT_COUNTS):
                    store = f"{redis.url}/{index + 1}"
                    results.append(
                        await scenario("hipbot, Redis, 2 replicas", chats, replicas=2, store=store)
                    )
        for chats in CHAT_COUNTS:
            results.append(
                await scenario(
                    "echo bot, PTB defaults", chats, replicas=1, store="", echo_concurrent=1
                )
            )
            results.append(await scenario("echo bot, concurrent_updates=256", chats, replicas=1, store="",
                                          echo_concurrent=256))  # fmt: skip
    return results


def main() -> None:
    uvloop.install()
    results = asyncio.run(run_all())
    sizes = asyncio.run(footprint())
    print("## Webhook end to end\n")
    print(f"Fake Bot API latency {LATENCY * 1000:.0f} ms per call; {DURATION:g} s per scenario; "
          "latency is webhook POST sent → the bot's reply received by the fake API.\n")  # fmt: skip
    print(
        "| scenario | chats | updates | updates/s | p50 ms | p99 ms | bot CPU ms/update | lost |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        print(row(result))
    print()
    by_name = {(r.name, r.chats): r for r in results}
    for chats in CHAT_COUNTS:
        echo = by_name.get(("echo bot, PTB defaults", chats))
        echo_fast = by_name.get(("echo bot, concurrent_updates=256", chats))
        for name in ("hipbot, SQLite, 1 process", "hipbot, Redis, 2 replicas"):
            mine = by_name.get((name, chats))
            if mine and echo and echo_fast:
                print(f"- {chats} chats, {name}: {mine.rate / echo.rate:.1f}× the default echo bot, "
                      f"{mine.rate / echo_fast.rate:.2f}× the concurrent echo bot")  # fmt: skip
    print(
        "\nEach chat sends its next update as soon as the reply and the webhook's answer are "
        "back (no think time), so a chat's round trip is chats / throughput (Little's law) and "
        "the latency at 200 chats is set by how many updates per second the bot can do. On this "
        "2-core machine the load generator and the fake API (one process) share the CPU with the "
        "bot processes and Redis; bot CPU is what the hipbot (or echo bot) processes used, per "
        "update, across replicas. Lost: updates whose POST failed or whose reply had not arrived after 30 s."
    )
    print("\n## Memory and start-up\n")
    print("| what | figure | bar |")
    print("|---|---|---|")
    print(
        f"| start-up to the first answered update (`hipbot webhook`) | {sizes['startup_s']:.2f} s | < 2 s |"
    )
    print(f"| RSS, memory store: fresh → 10,000 live sessions | {sizes['memory_rss_before_mib']:.0f} → "
          f"{sizes['memory_rss_mib']:.0f} MiB | |")  # fmt: skip
    print(f"| RSS, SQLite store: fresh → 10,000 live sessions | {sizes['sqlite_rss_before_mib']:.0f} → "
          f"{sizes['sqlite_rss_mib']:.0f} MiB | |")  # fmt: skip
    print(f"| SQLite file with 10,000 sessions | {sizes['sqlite_file_kib'] / 1024:.1f} MiB | |")


if __name__ == "__main__":
    main()

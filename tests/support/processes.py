"""The bot as a separate process (``python -m bot …``) against the fake Bot API: its
environment, its log, waiting for it, and a client for its webhook."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import IO

import httpx

from tests.fakes.bot_api import FakeBotAPI
from tests.support.telegram import JSON

SECRET = "process-Test_secret-42"


def bot_env(api: FakeBotAPI, **extra: str) -> dict[str, str]:
    """A clean environment for the bot: only what it is given, nothing from the developer's."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONUNBUFFERED": "1",
        "CI": "1",
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "LOG_LEVEL": "DEBUG",
        **extra,
    }


class BotProcess:
    """``python -m bot ARGS`` with its output in a log file."""

    def __init__(self, args: list[str], env: dict[str, str], cwd: Path, name: str) -> None:
        self.log_path = cwd / f"{name}.log"
        self._log: IO[bytes] = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", *args],
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self, sig: signal.Signals = signal.SIGKILL) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait(timeout=5)
        self._log.close()
        return code


@contextmanager
def bot_process(
    args: list[str], env: dict[str, str], cwd: Path, name: str
) -> Iterator[BotProcess]:
    process = BotProcess(args, env, cwd, name)
    try:
        yield process
    finally:
        process.kill(signal.SIGTERM)


def run_bot(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:g} s for {what}")
        time.sleep(0.01)


def assert_no_secrets(text: str, *secrets: str) -> None:
    for secret in secrets:
        assert secret not in text
        assert secret.split(":")[-1] not in text


@asynccontextmanager
async def webhook_client(port: int, process: BotProcess) -> AsyncIterator[httpx.AsyncClient]:
    """A client for the webhook process on ``port``, once it answers ``/healthz``."""
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        deadline = time.monotonic() + 20
        while True:
            assert process.process.poll() is None, process.log
            assert time.monotonic() < deadline, "the webhook did not start"
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.05)
        yield client


async def post(client: httpx.AsyncClient, update: JSON) -> int:
    headers = {"x-telegram-bot-api-secret-token": SECRET}
    return (await client.post("/telegram", json=update, headers=headers)).status_code

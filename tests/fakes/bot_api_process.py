"""Run the fake Bot API as a separate process and drive it through its control endpoints.

For benchmarks and multi-process tests, where the bot under test and the fake must not share an
event loop or a process::

    with FakeBotAPIProcess(latency_ms=50) as api:
        start_the_bot(base_url=api.base_url, token=api.token)
        api.push_text(42, "/start")
        api.wait_for(method="sendMessage")
        print(api.calls("sendMessage"))
"""

from __future__ import annotations

import os
import selectors
import subprocess
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from tests.fakes.bot_api import DEFAULT_TOKEN

_REPO_ROOT = Path(__file__).resolve().parents[2]

JSON = dict[str, Any]


class FakeBotAPIProcess:
    """``python -m tests.fakes.bot_api`` as a child process (started by :meth:`start`).

    Args:
        token: The token the fake accepts.
        latency_ms: Delay of every Bot API call, in milliseconds.
        port: 0 picks a free port.
    """

    def __init__(
        self, *, token: str = DEFAULT_TOKEN, latency_ms: float = 0.0, port: int = 0
    ) -> None:
        self.token = token
        self.latency_ms = latency_ms
        self.port = port
        self.url = ""
        self._process: subprocess.Popen[str] | None = None
        self._client: httpx.Client | None = None

    @property
    def base_url(self) -> str:
        """What to pass as PTB's ``base_url``."""
        return f"{self.url}/bot"

    def start(self, *, timeout: float = 15.0) -> FakeBotAPIProcess:
        """Start the process and wait for its ``LISTENING http://127.0.0.1:PORT`` line."""
        command = [
            sys.executable,
            "-m",
            "tests.fakes.bot_api",
            "--port",
            str(self.port),
            "--token",
            self.token,
            "--latency-ms",
            str(self.latency_ms),
        ]
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self._process = subprocess.Popen(
            command, cwd=_REPO_ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        line = _readline(self._process, timeout)
        if not line.startswith("LISTENING "):
            self.stop()
            raise RuntimeError(f"fake Bot API process did not start: {line!r}")
        self.url = line.split(maxsplit=1)[1].strip()
        self.port = int(self.url.rsplit(":", 1)[1])
        self._client = httpx.Client(base_url=self.url, timeout=10)
        return self

    def stop(self) -> None:
        """Stop the process (SIGTERM, then SIGKILL after 5 s)."""
        if self._client is not None:
            self._client.close()
            self._client = None
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def __enter__(self) -> FakeBotAPIProcess:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- control endpoints ------------------------------------------------------------------

    @property
    def _http(self) -> httpx.Client:
        if self._client is None:
            raise RuntimeError("FakeBotAPIProcess is not running")
        return self._client

    def calls(self, method: str | None = None) -> list[JSON]:
        """Recorded calls: ``{"method", "params", "at", "fault"}`` dicts in arrival order."""
        query = {"method": method} if method else {}
        response = self._http.get("/_calls", params=query)
        response.raise_for_status()
        calls: list[JSON] = response.json()
        return calls

    def clear_calls(self) -> None:
        """Forget the recorded calls."""
        self._http.delete("/_calls").raise_for_status()

    def sent_messages(self, chat_id: int | None = None) -> list[JSON]:
        """Messages returned by ``sendMessage``."""
        query = {"chat_id": chat_id} if chat_id is not None else {}
        response = self._http.get("/_sent", params=query)
        response.raise_for_status()
        messages: list[JSON] = response.json()
        return messages

    def push_update(self, update: JSON) -> JSON:
        """Queue a full update (its ``update_id`` is assigned); returns it."""
        return self._push(update)

    def push_text(self, chat_id: int, text: str) -> JSON:
        """Queue a text message from the user of private chat ``chat_id``."""
        return self._push({"chat_id": chat_id, "text": text})

    def push_callback(self, chat_id: int, data: str, message_id: int) -> JSON:
        """Queue a button press with ``data`` under bot message ``message_id``."""
        return self._push({"chat_id": chat_id, "callback_data": data, "message_id": message_id})

    def _push(self, body: JSON) -> JSON:
        response = self._http.post("/_updates", json=body)
        response.raise_for_status()
        pushed: list[JSON] = response.json()
        return pushed[0]

    def fail_next(self, method: str | None = None, **options: Any) -> None:
        """As :meth:`tests.fakes.bot_api.FakeBotAPI.fail_next`."""
        self._http.post("/_faults", json={"method": method, **options}).raise_for_status()

    def set_latency(self, ms: float) -> None:
        """Change the delay of every Bot API call."""
        self._http.post("/_latency", json={"ms": ms}).raise_for_status()

    def wait_for(
        self, count: int = 1, *, method: str | None = None, timeout: float = 5.0
    ) -> list[JSON]:
        """Poll until ``count`` calls (of ``method``) are recorded; return them."""
        deadline = time.monotonic() + timeout
        while True:
            calls = self.calls(method)
            if len(calls) >= count:
                return calls
            if time.monotonic() >= deadline:
                seen = [c["method"] for c in self.calls()]
                raise TimeoutError(
                    f"waited {timeout:g} s for {count} call(s) of {method or 'any method'}; "
                    f"recorded: {seen}"
                )
            time.sleep(0.01)


def _readline(process: subprocess.Popen[str], timeout: float) -> str:
    """Read the first stdout line, giving up after ``timeout`` seconds."""
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            return f"(no output after {timeout:g} s)"
    return process.stdout.readline() or f"(exited with {process.wait()})"

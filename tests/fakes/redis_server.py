"""A real, throwaway ``redis-server`` on 127.0.0.1 for tests (not a fake: the actual binary).

Nothing is persisted (``--save "" --appendonly no``); it runs in its own directory and logs to
``redis.log`` there, whose tail is shown if it fails to start.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType

from tests.support.ports import free_port

HOST = "127.0.0.1"


def find_redis_server() -> str | None:
    """The path of the ``redis-server`` executable on PATH, or ``None``."""
    return shutil.which("redis-server")


def _answers_ping(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


class RedisServer:
    """``redis-server`` on a free port of 127.0.0.1, started by :meth:`start`.

    Args:
        workdir: Its working directory (created if missing) and log location.
        executable: The ``redis-server`` binary.
        port: The port to use; 0 picks a free one at each start.
        options: More ``redis-server`` arguments (``["--save", "60 1"]``).
    """

    def __init__(
        self,
        workdir: Path,
        *,
        executable: str = "redis-server",
        port: int = 0,
        options: Sequence[str] = (),
    ) -> None:
        self.workdir = workdir
        self.options = list(options)
        self.executable = executable
        self.port = port
        self._fixed_port = port != 0
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:PORT`` (append ``/N`` for database N)."""
        return f"redis://{HOST}:{self.port}"

    @property
    def running(self) -> bool:
        """Whether the process is alive."""
        return self._process is not None and self._process.poll() is None

    def start(self, *, timeout: float = 10.0, attempts: int = 5) -> RedisServer:
        """Start it and wait until it answers PING; retries on another port if one was taken.

        After :meth:`stop`, starting again reuses the same port if it was given (``port=``).
        """
        self.workdir.mkdir(parents=True, exist_ok=True)
        for _ in range(attempts):
            if not self._fixed_port:
                self.port = free_port()
            self._process = subprocess.Popen(
                [self.executable, *self._options()],
                cwd=self.workdir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.running:
                if _answers_ping(self.port):
                    return self
                time.sleep(0.02)
            self.stop()
        log = self.workdir / "redis.log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"
        raise RuntimeError(f"redis-server did not start in {self.workdir}:\n{tail}")

    def _options(self) -> list[str]:
        options = {
            "port": str(self.port),
            "bind": HOST,
            "save": "",
            "appendonly": "no",
            "daemonize": "no",
            "dir": str(self.workdir),
            "logfile": "redis.log",
        }
        base = [arg for name, value in options.items() for arg in (f"--{name}", value)]
        return base + self.options  # given options win over the defaults above

    def stop(self) -> None:
        """Terminate it (SIGTERM, then SIGKILL after 5 s) and reap the process."""
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

    def __enter__(self) -> RedisServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

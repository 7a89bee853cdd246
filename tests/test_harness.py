"""The harness that starts servers for tests and benchmarks: a port nobody else can take, and
a start that fails with the reason instead of a bare time-out."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

import pytest

from bench.webhook_bench import processes, wait_healthy
from tests.support.ports import ephemeral_range, free_port


def test_a_free_port_is_bindable_and_outside_the_range_the_kernel_picks_from() -> None:
    low, high = ephemeral_range()
    for _ in range(20):
        port = free_port()
        assert not low <= port <= high
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))


def test_a_process_that_exits_during_start_up_is_reported_with_its_log(tmp_path: Path) -> None:
    crash = [sys.executable, "-c", "import sys; print('port taken'); sys.exit(3)"]
    url = f"http://127.0.0.1:{free_port()}/healthz"
    with (
        processes([(crash, {})], logs=tmp_path) as started,
        pytest.raises(RuntimeError, match=r"(?s)exited with status 3.*port taken"),
    ):
        asyncio.run(wait_healthy([url], started, tmp_path))

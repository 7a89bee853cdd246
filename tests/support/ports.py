"""Ports for the servers tests and benchmarks start (bot processes, fake APIs, Redis).

A port chosen by binding to port 0 lies in the kernel's ephemeral range, so between choosing it
and the server binding it, any outgoing connection on the machine (the bot's own first call to
the Bot API, say) may take it. Ports below that range are never handed out that way.
"""

from __future__ import annotations

import random
import socket
from pathlib import Path

HOST = "127.0.0.1"
_EPHEMERAL_RANGE = Path("/proc/sys/net/ipv4/ip_local_port_range")
_LINUX_DEFAULT_RANGE = (32768, 60999)
_LOWEST = 10_000
_ATTEMPTS = 200


def ephemeral_range() -> tuple[int, int]:
    """The kernel's range for ports it picks itself (Linux's default where it cannot be read)."""
    try:
        low, high = (int(part) for part in _EPHEMERAL_RANGE.read_text().split())
    except (OSError, ValueError):
        return _LINUX_DEFAULT_RANGE
    return low, high


def free_port() -> int:
    """A TCP port on 127.0.0.1, free a moment ago, that the kernel never picks for a socket."""
    low, high = ephemeral_range()
    spans = [(start, end) for start, end in ((_LOWEST, low - 1), (high + 1, 65535)) if end > start]
    if spans:
        start, end = max(spans, key=lambda span: span[1] - span[0])
        for _ in range(_ATTEMPTS):
            port = random.randint(start, end)
            if _is_free(port):
                return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True

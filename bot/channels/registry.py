"""The channels that run as a ``hipbot`` command of their own: one line each.

Each entry names the command, its help and the module that implements it; that module offers
``add_arguments(parser)`` and ``run(args, service) -> exit status``, and is imported when the
command line is built (keep its top-level imports light: no transport library).
Telegram's commands (``polling``, ``webhook``) and the console predate this and are in
:mod:`bot.cli`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Registration:
    """One channel command."""

    command: str
    module: str
    help: str


CHANNELS: tuple[Registration, ...] = (
    Registration("http-chat", "bot.channels.http_chat", "serve the plain HTTP JSON chat"),
)

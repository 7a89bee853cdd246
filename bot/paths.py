"""Where the shipped data folders live: inside the installed wheel, or beside the checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def knowledge_dir() -> Path:
    """The ``knowledge/`` folder the bot uses unless told otherwise."""
    return _data_dir("knowledge")


def dialogues_dir() -> Path:
    """The ``dialogues/`` folder the bot uses unless told otherwise."""
    return _data_dir("dialogues")

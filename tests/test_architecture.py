"""The engine stays pure: core modules import nothing from Telegram, web frameworks or stores."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).parent.parent / "bot"
CORE = ["knowledge", "understanding", "dialogue", "reasoning", "store/base.py", "problems.py"]
FORBIDDEN = ("telegram", "starlette", "uvicorn", "httpx", "aiohttp", "redis", "sqlite3", "pickle")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def core_files() -> list[Path]:
    files = []
    for entry in CORE:
        path = BOT / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(BOT)))
def test_core_module_imports_no_io_framework(path):
    bad = {m for m in imported_modules(path) if m.split(".")[0] in FORBIDDEN}
    assert not bad, f"{path} imports {bad}"


def test_one_machine_per_engine_not_per_message():
    from bot.dialogue import Incoming
    from tests.support.engine import real_engine

    engine = real_engine()
    machine = engine.machine
    turn = engine.start()
    for text in ["1", "none of these", "outer hip pain", "40", "no", "yes"]:
        turn = engine.step(turn.session, Incoming(text=text))
        assert engine.machine is machine
        assert machine.models == []  # conversations are driven, never attached

"""The layers hold: the core imports no I/O framework and no channel, no module imports itself
back through others, no private module of another package is imported, and the module diagram
in docs/ARCHITECTURE.md is the one the code gives."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from bot import imports as graph

BOT = Path(__file__).parent.parent / "bot"
CORE = [
    "knowledge", "understanding", "dialogue", "reasoning", "store/base.py", "store/__init__.py",
    "problems.py",
]  # fmt: skip
FORBIDDEN = ("telegram", "starlette", "uvicorn", "httpx", "aiohttp", "redis", "sqlite3", "pickle")
OUTER = ("bot.channels", "bot.service", "bot.runtime", "bot.cli", "bot.app")
"""What the core must not import: the edges and the application around it."""


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


@pytest.mark.parametrize("path", core_files(), ids=lambda p: str(p.relative_to(BOT)))
def test_core_module_imports_no_channel_or_application(path):
    bad = {
        i.target for i in graph.imports(path)
        if any(i.target == o or i.target.startswith(f"{o}.") for o in OUTER)
    }  # fmt: skip
    assert not bad, f"{path} imports {bad}"


def test_no_import_cycles_among_bot_modules():
    assert graph.cycles(graph.graph()) == []


def test_cycle_finder_finds_a_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert graph.cycles(edges) == [["a", "b", "c"]]


def private_imports(package: str, found: list[graph.Import]) -> list[str]:
    """Of ``found`` (imports made in ``package``), those of ``_private`` modules or names that
    live outside ``package``."""
    bad = []
    for i in found:
        parts = i.target.split(".")
        first = next((n for n, part in enumerate(parts) if _private(part)), None)
        owner = ".".join(parts[:first])
        if first is not None and not (package == owner or package.startswith(f"{owner}.")):
            bad.append(i.target)
        inside = i.target == package or i.target.startswith(f"{package}.")
        bad += [f"{i.target}.{n}" for n in i.names if _private(n) and not inside]
    return bad


def _private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def _package(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


@pytest.mark.parametrize("name", sorted(graph.modules()))
def test_no_private_imports_from_other_packages(name):
    path = graph.modules()[name]
    assert private_imports(_package(name, path), graph.imports(path)) == []


def test_the_private_import_rule_catches_them(tmp_path):
    source = (
        "from telegram._utils.types import ODVInput\n"
        "from bot.store._url import redact\n"
        "from bot.dialogue.engine import _Draft\n"
        "from bot.channels._own import helper\n"
    )
    (tmp_path / "bot").mkdir()
    path = tmp_path / "bot" / "example.py"
    path.write_text(source)
    found = graph.imports(path, {}, name="bot.channels.example")
    assert private_imports("bot.channels", found) == [
        "telegram._utils.types", "bot.store._url", "bot.dialogue.engine._Draft",
    ]  # fmt: skip


def test_validate_loads_no_store_backend_or_transport():
    code = (
        "import sys, bot.cli\n"
        "from bot.config import Settings\n"
        "Settings.from_env({'TELEGRAM_BOT_TOKEN': '1:x', 'STORE_URL': 'redis://h:6379/0'})\n"
        "assert bot.cli.main(['validate']) == 0\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'redis', 'sqlite3', '_sqlite3', 'telegram', 'aiohttp'}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_architecture_doc_shows_the_diagram_the_code_gives():
    doc = (BOT.parent / "docs" / "ARCHITECTURE.md").read_text()
    assert f"```mermaid\n{graph.diagram()}```" in doc, "regenerate: python -m bot.imports"


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


@pytest.mark.parametrize("path", sorted((BOT / "channels").glob("*.py")), ids=lambda p: p.name)
def test_channels_are_given_the_store_rather_than_reaching_through_the_service(path):
    assert ".service.store" not in path.read_text()

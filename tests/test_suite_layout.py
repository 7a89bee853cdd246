"""The test suite's own layout: shared helpers live in ``tests/support`` (and ``tests/fakes``),
never in a test module that others import."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).parents[1]


def imported_modules(source: str, package: tuple[str, ...]) -> set[str]:
    """Every module (or module attribute) a Python file in ``package`` imports, relative
    imports resolved."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found |= {f"{module}.{alias.name}" for alias in node.names}
    return found


def is_test_module(name: str) -> bool:
    """``tests.test_x`` or anything inside it."""
    parts = name.split(".")
    return len(parts) > 1 and parts[0] == "tests" and parts[1].startswith("test_")


def test_no_module_imports_a_test_module() -> None:
    files = [*ROOT.glob("tests/**/*.py"), *ROOT.glob("bench/**/*.py")]
    offenders = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in files
        for name in imported_modules(
            path.read_text(encoding="utf-8"), path.relative_to(ROOT).parent.parts
        )
        if is_test_module(name)
    )
    assert not offenders, "move shared helpers into tests/support: " + "; ".join(offenders)


def test_the_check_sees_every_form_of_import() -> None:
    source = (
        "from tests.test_webhook import serve\n"
        "import tests.test_faults\n"
        "from . import test_keyboards\n"
        "from .test_processes import bot_env\n"
        "from tests.support.webhook import serve as served\n"
    )
    seen = {name for name in imported_modules(source, ("tests",)) if is_test_module(name)}
    assert seen == {
        "tests.test_webhook", "tests.test_webhook.serve", "tests.test_faults",
        "tests.test_keyboards", "tests.test_processes", "tests.test_processes.bot_env",
    }  # fmt: skip

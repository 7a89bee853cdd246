"""The import graph of the ``bot`` package, read from the source (``ast``), never imported.

Used by ``tests/test_architecture.py`` (layer rules, no cycles, no private imports) and by
``python -m bot.imports`` to print the module diagram in ``docs/ARCHITECTURE.md``.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("knowledge", ("bot.knowledge", "bot.problems")),
    ("understanding", ("bot.understanding",)),
    ("reasoning", ("bot.reasoning",)),
    ("dialogue", ("bot.dialogue",)),
    ("store", ("bot.store",)),
    ("service", ("bot.service", "bot.channel", "bot.outbox", "bot.checkin_loop")),
    ("channels", ("bot.channels",)),
    ("configuration", ("bot.config",)),
    ("application", ("bot.app", "bot.runtime", "bot.cli")),
)
"""The diagram's boxes, inner to outer; a module belongs to its first matching prefix."""


@dataclass(frozen=True, slots=True)
class Import:
    """One import statement of a module."""

    target: str
    """The module imported (for ``from a import b``, ``a.b`` when that is a module, else ``a``)."""
    names: tuple[str, ...]
    top_level: bool
    """At module level (runs when the module is imported), not inside a function."""
    typing_only: bool = False
    """Inside ``if TYPE_CHECKING:``: read by mypy, never run."""


def module_name(path: Path) -> str:
    """``bot/store/base.py`` → ``bot.store.base``; a package's ``__init__`` → the package."""
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    """Every module of the ``bot`` package, by name."""
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imports(
    path: Path, known: dict[str, Path] | None = None, *, name: str | None = None
) -> list[Import]:
    """The imports of the module at ``path`` (named ``name``, by default from its path)."""
    known = modules() if known is None else known
    name = module_name(path) if name is None else name
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[Import] = []
    for node, top, typing in _walk(tree.body, top=True, typing=False):
        if isinstance(node, ast.Import):
            found += [Import(alias.name, (), top, typing) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                target = sub if sub in known else base
                found.append(Import(target, (alias.name,), top, typing))
    return found


def _walk(
    body: list[ast.stmt], *, top: bool, typing: bool
) -> Iterator[tuple[ast.stmt, bool, bool]]:
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, top, typing
        elif isinstance(node, ast.If):
            guarded = typing or "TYPE_CHECKING" in ast.unparse(node.test)
            yield from _walk(node.body, top=top, typing=guarded)
            yield from _walk(node.orelse, top=top, typing=typing)
        elif isinstance(node, ast.Try):
            for block in (
                node.body,
                node.orelse,
                node.finalbody,
                *(h.body for h in node.handlers),
            ):
                yield from _walk(block, top=top, typing=typing)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            yield from _walk(node.body, top=False, typing=typing)
        elif isinstance(node, ast.With | ast.AsyncWith | ast.For | ast.While):
            yield from _walk(node.body, top=top, typing=typing)


def graph(*, typing: bool = False) -> dict[str, set[str]]:
    """Module → the ``bot`` modules it imports when run (also in functions); with ``typing``,
    also those imported for type checking only."""
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        edges[name] = {
            i.target for i in imports(path, known)
            if i.target in known and i.target != name and (typing or not i.typing_only)
        }  # fmt: skip
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def layer(module: str) -> str | None:
    """The diagram box of ``module`` (see :data:`LAYERS`)."""
    for name, prefixes in LAYERS:
        if any(module == p or module.startswith(f"{p}.") for p in prefixes):
            return name
    return None


def diagram() -> str:
    """The layers and which imports which, as a Mermaid flowchart (``docs/ARCHITECTURE.md``)."""
    edges = graph(typing=True)
    arrows: set[tuple[str, str]] = set()
    for source, targets in edges.items():
        for target in targets:
            a, b = layer(source), layer(target)
            if a is not None and b is not None and a != b:
                arrows.add((a, b))
    ids = {name: name.replace(" ", "_") for name, _ in LAYERS}
    lines = ["flowchart TD"]
    lines += [f'    {ids[name]}["{name}<br/>{", ".join(p)}"]' for name, p in LAYERS]
    lines += [f"    {ids[a]} --> {ids[b]}" for a, b in sorted(arrows)]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(diagram())

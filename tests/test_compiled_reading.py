"""The mypyc-compiled reader (what the Docker image runs) reads every message as the pure one.

Both readings run in a subprocess with the same ``PYTHONHASHSEED``: which of two phrases with the
same stems a mention names can follow set order, which the hash seed sets. The compiled copy is
built into a temporary folder (about 75 s), or ``build/compiled/`` is reused when it is fresh
(``make bench`` builds it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support import compiled

SETS = [
    "utterances.yaml",
    "utterances_fresh1.yaml",
    "utterances_fresh64.yaml",
    "utterances_fresh131.yaml",
    "utterances_fresh143.yaml",
]


def _readings(path: str, out: Path) -> dict[str, list[dict[str, Any]]]:
    env = {**os.environ, "PYTHONPATH": path, "PYTHONHASHSEED": "0"}
    subprocess.run(
        [sys.executable, "-m", "tests.support.readings", str(out), *SETS],
        cwd=path.split(os.pathsep)[0], env=env, check=True, timeout=300,
    )  # fmt: skip
    loaded: dict[str, list[dict[str, Any]]] = json.loads(out.read_text())
    return loaded


@pytest.fixture(scope="module")
def compiled_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if compiled.c_compiler() is None:
        pytest.skip("no C compiler found: the compiled reader cannot be built here")
    if compiled.is_fresh(compiled.DEFAULT_DIR):
        return compiled.DEFAULT_DIR
    return compiled.build(tmp_path_factory.mktemp("compiled"))


def test_the_copy_imports_the_compiled_reader(compiled_copy: Path) -> None:
    script = "import bot.understanding.reader as r, bot.understanding.lexicon as x; "
    script += "print(r.__file__); print(x.__file__)"
    env = {**os.environ, "PYTHONPATH": str(compiled_copy)}
    shown = subprocess.run(
        [sys.executable, "-c", script], cwd=compiled_copy, env=env, capture_output=True,
        text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert shown[0].endswith(".so"), shown
    assert shown[1].endswith("lexicon.py"), shown  # interpreted: see pyproject.toml's hook


def test_compiled_readings_equal_the_pure_ones(compiled_copy: Path, tmp_path: Path) -> None:
    root = str(compiled.ROOT)
    pure = _readings(root, tmp_path / "pure.json")
    native = _readings(os.pathsep.join([str(compiled_copy), root]), tmp_path / "compiled.json")
    assert list(native) == SETS
    for name in SETS:
        assert len(native[name]) == len(pure[name]) > 0
        differing = [
            (i, a["normalized"])
            for i, (a, b) in enumerate(zip(pure[name], native[name], strict=True))
            if a != b
        ]
        assert not differing, f"{name}: {len(differing)} readings differ, first {differing[:3]}"

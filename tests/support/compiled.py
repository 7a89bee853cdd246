"""A copy of the ``bot`` package with the reader compiled by mypyc, built outside the source tree.

The modules compiled are the ones the production wheel compiles: the ``include`` list of the
``mypyc`` build hook in ``pyproject.toml``. A copy holds ``bot/`` with an extension module beside
each compiled source (Python imports the extension first), mypyc's shared library, and links to
``knowledge/`` and ``dialogues/``. Put it first on ``PYTHONPATH`` to import the compiled reader.

``python -m tests.support.compiled [DIR]`` builds one (default ``build/compiled/``), or says it
is fresh: a stamp records the sources, Python and mypy it was built from.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_DIR = ROOT / "build" / "compiled"
STAMP = "STAMP"
LINKED = ("knowledge", "dialogues")


def compiled_modules() -> list[str]:
    """The source files the wheel's mypyc hook compiles, relative to the repository."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    hook = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["mypyc"]
    return [str(pattern).lstrip("/") for pattern in hook["include"]]


def c_compiler() -> str | None:
    """The C compiler Python's extensions are built with, when it is installed."""
    configured = str(sysconfig.get_config_var("CC") or "cc").split()[0]
    return shutil.which(configured) or shutil.which("cc")


def fingerprint() -> str:
    """What a copy was built from: every source of ``bot`` (the compiled modules' types come
    from the modules they import), the list compiled, and the Python and mypy versions."""
    digest = hashlib.sha256()
    digest.update(f"{sys.version} mypy {importlib.metadata.version('mypy')}".encode())
    digest.update(" ".join(compiled_modules()).encode())
    for path in sorted((ROOT / "bot").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def is_fresh(target: Path) -> bool:
    """Whether ``target`` holds a copy built from the sources as they are now."""
    stamp = target / STAMP
    return stamp.is_file() and stamp.read_text() == fingerprint()


def build(target: Path = DEFAULT_DIR) -> Path:
    """Build the compiled copy in ``target`` (about 75 s on two cores) unless it is fresh.

    Raises ``subprocess.CalledProcessError`` with mypyc's output when compiling fails.
    """
    if is_fresh(target):
        return target
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "bot", target / "bot", ignore=shutil.ignore_patterns("__pycache__"))
    for name in LINKED:
        (target / name).symlink_to(ROOT / name, target_is_directory=True)
    subprocess.run(
        [sys.executable, "-m", "mypyc", *compiled_modules()],
        cwd=target, check=True, capture_output=True, text=True,
    )  # fmt: skip
    shutil.rmtree(target / "build")  # the generated C and object files
    (target / STAMP).write_text(fingerprint())
    return target


def main() -> None:
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR
    if c_compiler() is None:
        sys.exit("no C compiler found: the compiled reader cannot be built")
    if is_fresh(target):
        print(f"{target}: fresh")
        return
    print(f"building the compiled reader into {target} (mypyc, about 75 s)", flush=True)
    try:
        build(target)
    except subprocess.CalledProcessError as error:
        sys.exit(f"mypyc failed:\n{error.stdout}{error.stderr}")
    print(f"{target}: built")


if __name__ == "__main__":
    main()

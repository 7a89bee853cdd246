"""Every reading of the labelled messages as JSON, to compare two builds of the reader.

``python -m tests.support.readings OUT [SET...]`` writes ``{set: [reading, ...]}`` for the
named sets of ``tests/data`` (default: every ``utterances*.yaml``), read with the ``bot``
package that ``PYTHONPATH`` points at: the source tree or a compiled copy of it.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

import yaml

from bot import paths
from bot.knowledge import load_knowledge
from bot.understanding import Lexicon, Understanding, understand

DATA = Path(__file__).resolve().parent.parent / "data"


def all_sets() -> list[str]:
    """Every labelled set's file name, in a fixed order."""
    return sorted(path.name for path in DATA.glob("utterances*.yaml"))


def texts(name: str) -> list[str]:
    """The messages of one labelled set, in file order."""
    return [str(item["text"]) for item in yaml.safe_load((DATA / name).read_text())]


def as_json(value: Any) -> Any:
    """A reading as plain JSON values: sets sorted, dataclasses as dicts of their fields."""
    if isinstance(value, frozenset | set):
        return sorted(value)
    if isinstance(value, tuple | list):
        return [as_json(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return {field.name: as_json(getattr(value, field.name)) for field in fields}
    return value


def reading(understanding: Understanding) -> dict[str, Any]:
    """Everything ``understand`` returned, with its derived ``empty`` flag."""
    return {**as_json(understanding), "empty": understanding.empty}


def readings(names: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each named set's messages read with the shipped knowledge, the rules and the model."""
    knowledge = load_knowledge(paths.knowledge_dir())
    lexicon = Lexicon(knowledge.findings.values(), idioms=knowledge.idioms)
    return {name: [reading(understand(text, lexicon)) for text in texts(name)] for name in names}


def main() -> None:
    out = Path(sys.argv[1])
    out.write_text(json.dumps(readings(sys.argv[2:] or all_sets()), indent=None))


if __name__ == "__main__":
    main()

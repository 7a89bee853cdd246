"""Problems found in data files, reported as ``file: path.inside.file: what is wrong``."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

try:  # libyaml's parser (in PyYAML's wheels) reads the knowledge files three times faster
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover (PyYAML built without libyaml)
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 1_000_000
MAX_ALIASES = 200
MAX_DEPTH = 32
MAX_NODES = 20_000
MAX_SCALAR_CHARS = 10_000
MAX_SHOWN_INPUT = 60

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong in one place of one file."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}"


class DataError(Exception):
    """Data files are invalid; ``problems`` lists every problem found, in file order."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def read_yaml(path: Path, *, shown_as: str) -> tuple[Any, list[Problem]]:
    """Parse one YAML file safely; return ``(document, problems)``.

    Only YAML's safe loader is used, refusing a key written twice in one mapping (YAML would
    keep the last silently). Oversized files, alias bombs, deep nesting, too many values and
    huge texts are refused from the event stream, before any object is built.
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(shown_as, "(file)", f"cannot be read: {error.strerror}")]
    if len(raw) > MAX_FILE_BYTES:
        return None, [Problem(shown_as, "(file)", f"is larger than {MAX_FILE_BYTES} bytes")]
    try:
        text = raw.decode("utf-8")
        refused = _refuse_hostile(text, shown_as)
        if refused:
            return None, refused
        return yaml.load(text, Loader=_UniqueKeyLoader), []  # noqa: S506 (a SafeLoader)
    except UnicodeDecodeError:
        return None, [Problem(shown_as, "(file)", "is not UTF-8 text")]
    except yaml.MarkedYAMLError as error:
        where = _where(error.problem_mark)
        return None, [Problem(shown_as, where, f"invalid YAML: {_one_line(error.problem)}")]
    except yaml.YAMLError as error:
        return None, [Problem(shown_as, "(file)", f"invalid YAML: {_one_line(error)}")]


class _UniqueKeyLoader(_SafeLoader):
    """The safe loader, refusing a mapping that gives one key twice."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue  # left to the mapping itself to refuse
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {key!r} is given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep)


def _refuse_hostile(text: str, shown_as: str) -> list[Problem]:
    """Walk the YAML events (no objects built) and stop at the first limit exceeded.

    libyaml reads ahead, so it can fail on its own limits before ours are counted; the
    pure-Python parser, which reads one event at a time, then finds where ours were crossed.
    """
    try:
        return _first_limit_crossed(yaml.parse(text, Loader=_SafeLoader), shown_as)
    except yaml.YAMLError:
        return _first_limit_crossed(yaml.parse(text, Loader=yaml.SafeLoader), shown_as)


def _first_limit_crossed(events: Iterable[yaml.Event], shown_as: str) -> list[Problem]:
    aliases = depth = nodes = 0
    for event in events:
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                message = f"uses more than {MAX_ALIASES} YAML aliases (limit {MAX_ALIASES})"
                return [Problem(shown_as, "(file)", message)]
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, (yaml.CollectionStartEvent, yaml.ScalarEvent)):
            nodes += 1
            if nodes > MAX_NODES:
                message = f"holds more than {MAX_NODES} values (limit {MAX_NODES})"
                return [Problem(shown_as, "(file)", message)]
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    message = f"nests lists or mappings more than {MAX_DEPTH} levels deep"
                    return [Problem(shown_as, _where(event.start_mark), message)]
            elif len(event.value) > MAX_SCALAR_CHARS:
                message = f"has a value longer than {MAX_SCALAR_CHARS} characters"
                return [Problem(shown_as, _where(event.start_mark), message)]
    return []


class _Mark(Protocol):
    line: int
    column: int


def _where(mark: _Mark | None) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"


def _one_line(message: object) -> str:
    return " ".join(str(message).split())


_MESSAGES = {
    "missing": "missing required field",
    "extra_forbidden": "unknown field (check the spelling)",
}


_PATTERN_MESSAGES = {
    r"^[a-z][a-z0-9_]*$": "must be a snake_case id (lowercase letters, digits and _)",
    r"^https?://\S+$": "must be an http(s) URL",
}


def _shown(value: Any) -> str:
    """A wrong value as the problem shows it: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= MAX_SHOWN_INPUT else f"{text[: MAX_SHOWN_INPUT - 1]}…"


def _render_path(loc: Iterable[int | str], document: Any) -> str:
    parts: list[str] = []
    node = document
    for key in loc:
        child = _child(node, key)
        if isinstance(key, int):
            label = child.get("id") if isinstance(child, dict) else None
            parts.append(f"[{label}]" if isinstance(label, str) else f"[{key}]")
        else:
            plain = key.isidentifier() and key.isascii()
            shown = key if plain else repr(key)
            parts.append(shown if not parts else f".{shown}" if plain else f"[{shown}]")
        node = child
    return "".join(parts) or "(top)"


def _child(node: Any, key: int | str) -> Any:
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    if isinstance(node, dict):
        return node.get(key)
    return None


def validate_document(
    model: type[M], document: Any, *, shown_as: str
) -> tuple[M | None, list[Problem]]:
    """Check ``document`` against ``model``; return the model or every problem found."""
    if not isinstance(document, dict):
        kind = "empty" if document is None else f"a {type(document).__name__}"
        return None, [
            Problem(shown_as, "(top)", f"must be a mapping with a version, but is {kind}")
        ]
    try:
        return model.model_validate(document), []
    except ValidationError as error:
        problems = []
        for detail in error.errors(include_url=False):
            loc = [part for part in detail["loc"] if isinstance(part, (int, str))]
            message = _MESSAGES.get(detail["type"], detail["msg"])
            pattern = detail.get("ctx", {}).get("pattern")
            if detail["type"] == "string_pattern_mismatch" and pattern in _PATTERN_MESSAGES:
                message = f"{_PATTERN_MESSAGES[pattern]}, got {_shown(detail['input'])}"
            problems.append(Problem(shown_as, _render_path(loc, document), message))
        return None, problems

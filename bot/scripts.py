"""Dialogue test scripts: replay a conversation and compare each turn with what is expected.

A script file holds ``scripts:``, each with a ``name`` and ``steps``. A step sends ``user``
text (a number picks a button, as in the console), taps a button by label or value with
``tap``, or lets time pass with ``wait`` (seconds); ``expect`` checks the turn that follows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, TextIO

from pydantic import BaseModel, ConfigDict, Field

from bot import paths
from bot.channels.console import incoming_from_line, turn_json
from bot.channels.console_clock import clock_seconds, clock_turn
from bot.dialogue import Engine, Incoming, Turn
from bot.problems import DataError, read_yaml, validate_document


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ResultExpectation(_Strict):
    """What the result must contain; every field is optional."""

    urgency: str | None = None
    top: str | None = None
    causes_include: tuple[str, ...] = ()
    causes_exclude: tuple[str, ...] = ()
    exercises_include: tuple[str, ...] = ()
    exercises_exclude: tuple[str, ...] = ()
    no_exercises: bool | None = None
    see_professional: bool | None = None
    red_flags_include: tuple[str, ...] = ()


class Expectation(_Strict):
    """Checks on one turn."""

    state: str | None = None
    says: tuple[str, ...] = ()
    not_says: tuple[str, ...] = ()
    options_include: tuple[str, ...] = ()
    asks: tuple[str, ...] | None = None
    result: ResultExpectation | None = None
    no_result: bool = False
    answers: dict[str, bool | Literal["unanswered"] | None] = Field(default_factory=dict)


class Step(_Strict):
    """One thing the runner does, and what should follow."""

    user: str | None = None
    tap: str | None = None
    wait: Annotated[float, Field(ge=0)] = 0
    expect: Expectation | None = None


class Script(_Strict):
    """A named conversation."""

    name: str
    steps: Annotated[tuple[Step, ...], Field(min_length=1)]


class ScriptFile(_Strict):
    """A file of scripts."""

    scripts: Annotated[tuple[Script, ...], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class Failure:
    """A script step whose turn did not match."""

    script: str
    step: int
    action: str
    differences: tuple[str, ...]
    messages: tuple[str, ...]

    def __str__(self) -> str:
        lines = [f"FAIL {self.script} — step {self.step} ({self.action})"]
        lines += [f"    - {d}" for d in self.differences]
        lines.append("    bot said:")
        lines += [f"      | {line}" for m in self.messages for line in m.splitlines()[:6]]
        return "\n".join(lines)


def default_script_paths() -> list[Path]:
    """The project's own scripts in ``tests/dialogues/`` (when run from a checkout)."""
    folder = paths.dialogues_dir().parent / "tests" / "dialogues"
    return [folder] if folder.is_dir() else []


def _files(paths_given: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths_given:
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    return files


def load_scripts(path: Path) -> ScriptFile:
    """Read one script file. Raises DataError naming the file and path of any problem."""
    document, problems = read_yaml(path, shown_as=str(path))
    if problems:
        raise DataError(problems)
    scripts, problems = validate_document(ScriptFile, document, shown_as=str(path))
    if scripts is None:
        raise DataError(problems)
    return scripts


def _differences(engine: Engine, turn: Turn, expect: Expectation) -> list[str]:
    view = turn_json(engine, turn)
    said = "\n".join(view["messages"]).casefold()
    found: list[str] = []
    if expect.state is not None and view["state"] != expect.state:
        found.append(f"state: expected '{expect.state}', got '{view['state']}'")
    found += [f"missing text: '{t}'" for t in expect.says if t.casefold() not in said]
    found += [f"unexpected text: '{t}'" for t in expect.not_says if t.casefold() in said]
    labels = [o.casefold() for o in view["options"]]
    found += [
        f"missing button '{o}' (have {view['options']})"
        for o in expect.options_include
        if o.casefold() not in labels
    ]
    if expect.asks is not None and list(expect.asks) != view["asks"]:
        found.append(f"asks: expected {list(expect.asks)}, got {view['asks']}")
    for finding, value in expect.answers.items():
        got = turn.session.answers.get(finding, "unanswered")
        if got != value:
            found.append(f"answer {finding}: expected {value}, got {got}")
    result = view["result"]
    if expect.no_result and result is not None:
        found.append("expected no result yet")
    if expect.result is not None:
        found += _result_differences(expect.result, result)
    return found


def _result_differences(expect: ResultExpectation, result: dict[str, Any] | None) -> list[str]:
    if result is None:
        return ["expected a result, got none"]
    found = []
    if expect.urgency is not None and result["urgency"] != expect.urgency:
        found.append(f"urgency: expected {expect.urgency}, got {result['urgency']}")
    if expect.top is not None and (not result["causes"] or result["causes"][0] != expect.top):
        found.append(f"top cause: expected {expect.top}, got {result['causes']}")
    found += [
        f"cause {c} not in {result['causes']}"
        for c in expect.causes_include
        if c not in result["causes"]
    ]
    found += [
        f"cause {c} should not be shown" for c in expect.causes_exclude if c in result["causes"]
    ]
    found += [
        f"exercise {e} not in {result['exercises']}"
        for e in expect.exercises_include
        if e not in result["exercises"]
    ]
    found += [
        f"exercise {e} should not be offered"
        for e in expect.exercises_exclude
        if e in result["exercises"]
    ]
    if expect.no_exercises and result["exercises"]:
        found.append(f"expected no exercises, got {result['exercises']}")
    if (
        expect.see_professional is not None
        and result["see_professional"] != expect.see_professional
    ):
        found.append(f"see_professional: expected {expect.see_professional}")
    found += [
        f"red flag {f} not in {result['red_flags']}"
        for f in expect.red_flags_include
        if f not in result["red_flags"]
    ]
    return found


def incoming_for(step: Step, turn: Turn, at: float) -> tuple[Incoming, str]:
    """What a step sends after ``turn``, and how a failure report names it."""
    if step.tap is not None:
        for option in turn.options:
            if step.tap.casefold() in (option.label.casefold(), option.value.casefold()):
                return Incoming(button=option.value, at=at), f"tap '{step.tap}'"
        return Incoming(button=step.tap, at=at), f"tap '{step.tap}' (not on screen)"
    text = step.user or ""
    return incoming_from_line(text, turn, at=at), f"user '{text}'"


def run_script(engine: Engine, script: Script) -> list[Failure]:
    """Replay one script from a fresh conversation; return every failing step."""
    clock = 1_000_000.0
    turn = engine.start(at=clock)
    failures = []
    for number, step in enumerate(script.steps, 1):
        clock += 1 + step.wait
        action = "opening turn"
        moved = clock_seconds(step.user, day=engine.day) if step.user is not None else None
        if moved is not None:
            clock += moved
            action = f"user '{step.user}'"
            turn = clock_turn(engine, turn.session, now=clock, moved=moved)
        elif step.user is not None or step.tap is not None:
            incoming, action = incoming_for(step, turn, clock)
            turn = engine.step(turn.session, incoming)
        elif step.wait:
            action = f"wait {step.wait:g}s"
        if step.expect is not None:
            differences = _differences(engine, turn, step.expect)
            if differences:
                messages = tuple(r.plain_text for r in turn.replies)
                failures.append(Failure(script.name, number, action, tuple(differences), messages))
    return failures


def run_scripts(engine: Engine, paths_given: Sequence[Path], out: TextIO) -> list[Failure]:
    """Replay every script in the given files or folders, printing a line per script."""
    failures: list[Failure] = []
    count = 0
    for path in _files(paths_given):
        for script in load_scripts(path).scripts:
            count += 1
            found = run_script(engine, script)
            failures += found
            out.write(f"{'FAIL' if found else 'ok  '} {path.name}: {script.name}\n")
            for failure in found:
                out.write(f"{failure}\n")
    out.write(f"{count - len({f.script for f in failures})} passed, "
              f"{len({f.script for f in failures})} failed\n")  # fmt: skip
    return failures

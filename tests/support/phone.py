"""One scripted consultation per urgency level, as Telegram actions, and how long messages are."""

from __future__ import annotations

from collections.abc import Iterator

from bot import paths
from bot.dialogue import Turn
from bot.scripts import Script, incoming_for, load_scripts
from tests.support.engine import real_engine
from tests.support.telegram import Action, Reference

CONSULTATIONS = {
    "self_care": "self care — overuse after a mileage jump",
    "see_professional": "see a professional — outer hip tendon pain (bursitis signs)",
    "urgent": "urgent — bone stress at the outer hip after a mileage jump",
    "emergency": "emergency — fall and cannot bear weight",
}
"""The script (in tests/dialogues/consultations.yaml) that shows each urgency level."""


def scripts() -> list[Script]:
    """Every consultation script of the project."""
    folder = paths.dialogues_dir().parent / "tests" / "dialogues"
    return [s for path in sorted(folder.glob("*.yaml")) for s in load_scripts(path).scripts]


def scripted_turns() -> Iterator[tuple[Script, Turn, Turn]]:
    """Every step of every script through the real engine: (script, turn before, turn after)."""
    engine = real_engine()
    for script in scripts():
        turn = engine.start(at=1_000_000.0)
        for step in script.steps:
            if step.user is None and step.tap is None:
                continue
            incoming, _ = incoming_for(step, turn, turn.session.updated_at + 1 + step.wait)
            before, turn = turn, engine.step(turn.session, incoming)
            yield script, before, turn


def actions(name: str, reference: Reference | None = None) -> list[Action]:
    """The script ``name`` as taps and texts, each with the messages it must produce."""
    [script] = [s for s in scripts() if s.name == name]
    reference = reference or Reference()
    done: list[Action] = []
    for step in script.steps:
        options = reference.options
        text = (step.user or "").strip()
        if step.tap is not None:
            [value] = [o.value for o in options if step.tap in (o.label, o.value)]
        elif text.isdecimal() and 1 <= int(text) <= len(options):
            value = options[int(text) - 1].value
        else:
            done.append(Action("text", text, None, reference.text(text)))
            continue
        shown = reference.session.step if reference.session else None
        done.append(Action("tap", value, shown, reference.tap(value)))
    return done

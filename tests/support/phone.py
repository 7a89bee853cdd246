"""One scripted consultation per urgency level, as Telegram actions, and how long messages are."""

from __future__ import annotations

from bot import paths
from bot.scripts import Script, load_scripts
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

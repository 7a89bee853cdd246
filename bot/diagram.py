"""Draw a dialogue as a Mermaid state diagram, straight from its YAML."""

from __future__ import annotations

from bot.dialogue import DialogueSpec


def _label(when: tuple[str, ...], unless: tuple[str, ...]) -> str:
    parts = [*when, *(f"not {name}" for name in unless)]
    return f": {' and '.join(parts)}" if parts else ""


def mermaid(dialogue: DialogueSpec) -> str:
    """The ``stateDiagram-v2`` text for ``dialogue``, ending with a newline."""
    lines = ["stateDiagram-v2", f"    [*] --> {dialogue.initial}"]
    for source, state in dialogue.states.items():
        for transition in state.next:
            label = _label(transition.when, transition.unless)
            lines.append(f"    {source} --> {transition.to}{label}")
    lines.append(f"    {dialogue.result} --> [*]")
    lines.append(f"    note right of {dialogue.result}")
    lines.append("        A red flag at any state escalates here at once.")
    lines.append("        /restart and /start return to the greeting; /back undoes one step.")
    lines.append("    end note")
    return "\n".join(lines) + "\n"

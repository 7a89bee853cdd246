"""Human and JSON views of an :class:`Understanding`, for ``hipbot understand``."""

from __future__ import annotations

from typing import Any

from bot.knowledge import Knowledge
from bot.understanding.reader import Understanding


def as_json(heard: Understanding) -> dict[str, Any]:
    """``{"present": [...], "absent": [...]}`` plus hedged findings and the age."""
    return {
        "present": sorted(heard.present),
        "absent": sorted(heard.absent),
        "hedged": sorted(heard.hedged),
        "age": heard.age,
    }


def describe(heard: Understanding, knowledge: Knowledge) -> str:
    """What was understood, in plain words."""
    if heard.empty:
        return "I didn't recognise any symptoms in that."
    lines = []
    for title, ids in (
        ("You have", heard.present),
        ("You don't have", heard.absent),
        ("You're not sure about", heard.hedged),
    ):
        if ids:
            labels = ", ".join(knowledge.findings[f].label for f in sorted(ids))
            lines.append(f"{title}: {labels}")
    if heard.age is not None:
        lines.append(f"Age: {heard.age}")
    return "\n".join(lines)


def explain(heard: Understanding) -> str:
    """The normalised text, each clause, and every phrase or frame matched: its score, verdict,
    assertion and the cue or rule behind it, then what was implied."""
    lines = [f"normalised: {heard.normalized}", "clauses:"]
    lines += [f"  [{i}] {clause}" for i, clause in enumerate(heard.clauses)]
    lines.append("matches:")
    if not heard.mentions:
        lines.append("  (none)")
    for m in heard.mentions:
        lines.append(
            f"  [{m.clause}] {m.finding:<28} {m.verdict:<8} score {m.score:>3}  "
            f"text '{m.words}' ~ phrase '{m.phrase}'"
        )
        lines.append(f"      assertion {m.assertion}: {m.why}")
    lines += [f"implied: {note}" for note in heard.implied]
    lines.append(f"present: {sorted(heard.present)}  absent: {sorted(heard.absent)}")
    if heard.age is not None:
        lines.append(f"age: {heard.age}")
    return "\n".join(lines)

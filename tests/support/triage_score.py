"""Score a vignette set through the console's --json protocol: urgency by level, under- and
over-triage, an expected cause in the top three, and questions per consultation."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from tests.support.patient import ConsoleProcess, consult

LEVELS = ["self_care", "see_professional", "urgent", "emergency"]


@dataclass
class TriageScore:
    """What one run over a vignette set found."""

    mode: str
    total: int = 0
    exact: int = 0
    top3: int = 0
    under: list[str] = field(default_factory=list)
    over: list[str] = field(default_factory=list)
    questions: list[int] = field(default_factory=list)
    by_level: Counter[str] = field(default_factory=Counter)
    exact_by_level: Counter[str] = field(default_factory=Counter)
    misses: list[tuple[str, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    unsafe_exercises: list[str] = field(default_factory=list)

    def summary(self) -> str:
        levels = ", ".join(
            f"{level} {self.exact_by_level[level]}/{self.by_level[level]}"
            for level in LEVELS
            if self.by_level[level]
        )
        n = self.total
        return (
            f"{self.mode}: urgency exact {self.exact}/{n} ({self.exact / n:.0%}) [{levels}]; "
            f"under-triage {len(self.under)}, over-triage {len(self.over)} "
            f"({len(self.over) / n:.0%}); cause in top 3 {self.top3}/{n} ({self.top3 / n:.0%}); "
            f"questions median {statistics.median(self.questions):g}, max {max(self.questions)}"
        )


def score(console: ConsoleProcess, vignettes: list[dict[str, Any]], mode: str) -> TriageScore:
    """Run every vignette once in ``mode`` (``buttons`` or ``free_text``)."""
    result = TriageScore(mode)
    for vignette in vignettes:
        consultation = consult(console, vignette, mode)
        got, expected = consultation.result, vignette["expected"]
        want = expected["urgency"]
        result.total += 1
        result.by_level[want] += 1
        result.questions.append(consultation.questions)
        matched = got["urgency"] == want
        result.exact += matched
        result.exact_by_level[want] += matched
        if LEVELS.index(got["urgency"]) < LEVELS.index(want):
            result.under.append(vignette["id"])
        elif LEVELS.index(got["urgency"]) > LEVELS.index(want):
            result.over.append(vignette["id"])
        in_top3 = not expected["causes"] or any(c in got["causes"][:3] for c in expected["causes"])
        result.top3 += in_top3
        if not (matched and in_top3):
            result.misses.append((vignette["id"], expected, got))
        if got["urgency"] in ("urgent", "emergency") and got["exercises"]:
            result.unsafe_exercises.append(vignette["id"])
    return result

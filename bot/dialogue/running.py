"""The return-to-running plan's pain rules (the pain-monitoring model), pure and JSON-in/out.

A plan is kept in the session as ``{"step": i, "streak": n, "runs": [[during, morning, step],
…]}``. Each logged run is judged by its pain during the run and the next morning (0–10):
during above ``acceptable_max``, or a next morning worse than before the run, is too much and goes
back a step; during above ``safe_max`` is acceptable and repeats the step; otherwise the run is
safe, and ``runs`` safe runs in a row at a step move on to the next. "Before the run" is the next
morning after the previous run (for the first run: ``safe_max``, the edge of the safe zone).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from bot.knowledge.running import RunningPlan

MAX_RUNS = 30
"""Runs kept for the chart (the oldest go first: the session stays small)."""


class Verdict(StrEnum):
    """What one run says about the plan."""

    SAFE = "safe"
    ADVANCE = "advance"
    FINISHED = "finished"
    HOLD = "hold"
    BACK = "back"


def new_plan() -> dict[str, Any]:
    """A plan at its first step."""
    return {"step": 0, "streak": 0, "runs": []}


def log_run(
    plan: dict[str, Any], rules: RunningPlan, during: int, morning: int
) -> tuple[dict[str, Any], Verdict]:
    """The plan after one more run, and what the run says; ``plan`` is left as it was."""
    step, streak = int(plan.get("step", 0)), int(plan.get("streak", 0))
    runs = [list(run) for run in plan.get("runs", [])]
    before = runs[-1][1] if runs else rules.pain.safe_max
    runs = [*runs, [during, morning, step]][-MAX_RUNS:]
    last = len(rules.steps) - 1
    step = min(step, last)
    if during > rules.pain.acceptable_max or morning > before:
        verdict, step, streak = Verdict.BACK, max(0, step - 1), 0
    elif during > rules.pain.safe_max:
        verdict = Verdict.HOLD
    elif streak + 1 < rules.steps[step].runs:
        verdict, streak = Verdict.SAFE, streak + 1
    elif step < last:
        verdict, step, streak = Verdict.ADVANCE, step + 1, 0
    else:
        verdict, streak = Verdict.FINISHED, streak + 1
    return {"step": step, "streak": streak, "runs": runs}, verdict

"""Write tests/dialogues/red_flags.yaml: one dialogue script per rule in knowledge/red_flags.yaml.

Each script is a runner whose only findings are the rule's (``all_of`` plus the first ``any_of``),
walked through the real engine by button taps and yes/no answers. The steps and ``asks`` are
recorded from the engine; the expected result comes from the rule itself (its urgency, its
findings among the red flags, no exercises when it withholds them), never from the engine.
Run ``python -m tests.tools.write_red_flag_scripts`` after changing the rules, then review the
diff.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from bot.channels.console import turn_json
from bot.knowledge import RedFlagRule, Urgency
from tests.support.engine import real_engine, say

OUT = Path(__file__).parents[1] / "dialogues" / "red_flags.yaml"
HEADER = (
    "# One script per rule in knowledge/red_flags.yaml: a runner with only that rule's findings.\n"
    "# Written by `python -m tests.tools.write_red_flag_scripts` (steps recorded from the engine,\n"
    "# expected results taken from the rule); review the diff after regenerating.\n"
)
MAX_STEPS = 30


def profile(rule: RedFlagRule) -> set[str]:
    """The smallest set of findings that makes ``rule`` fire."""
    return {*rule.all_of, *rule.any_of[:1]}


def reply(view: dict[str, Any], present: set[str]) -> str:
    """What this runner answers to the bot's current turn."""
    state, asks, options = view["state"], view["asks"], view["options"]
    if state in ("greeting", "review"):
        return "1"
    if state == "describe":
        return "Skip"
    if asks == ["age"]:
        return "14" if "age_under_16" in present else "52" if "age_45_plus" in present else "30"
    if state == "duration":
        return "More than 2 weeks" if "duration_over_2_weeks" in present else "A few days"
    if len(asks) > 1 or state == "red_flag_screen":
        chosen = next((i for i, f in enumerate(asks, 1) if f in present), None)
        return str(chosen) if chosen is not None else str(len(options))
    return "yes" if asks and asks[0] in present else "no"


def script(rule: RedFlagRule) -> dict[str, Any]:
    engine = real_engine()
    present = profile(rule)
    turn = engine.start(at=1_000_000.0)
    steps: list[dict[str, Any]] = []
    for _ in range(MAX_STEPS):
        line = reply(turn_json(engine, turn), present)
        turn = say(engine, turn, line)
        view = turn_json(engine, turn)
        if view["result"] is not None:
            withholds = rule.no_exercises or rule.urgency.rank >= Urgency.URGENT.rank
            result: dict[str, Any] = {
                "urgency": rule.urgency.value,
                "see_professional": rule.urgency is not Urgency.SELF_CARE,
                "red_flags_include": sorted(present),
            }
            if withholds:
                result["no_exercises"] = True
            steps.append({"user": line, "expect": {"state": "result", "result": result}})
            return {"name": f"red flag {rule.id} ({rule.urgency.value})", "steps": steps}
        steps.append({"user": line, "expect": {"state": view["state"], "asks": view["asks"]}})
    raise RuntimeError(f"{rule.id}: no result after {MAX_STEPS} steps")


def main() -> None:
    scripts = [script(rule) for rule in real_engine().knowledge.red_flags]
    body = yaml.safe_dump({"scripts": scripts}, sort_keys=False, allow_unicode=True, width=99)
    OUT.write_text(HEADER + body)
    print(f"wrote {len(scripts)} scripts to {OUT}")


if __name__ == "__main__":
    main()

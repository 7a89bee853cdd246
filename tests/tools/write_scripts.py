"""Write the generated dialogue scripts in tests/dialogues/ from profiles.

- ``red_flags.yaml``: one script per rule in knowledge/red_flags.yaml, a runner whose only
  findings are the rule's (``all_of`` plus the first ``any_of``); the expected result comes from
  the rule itself (its urgency, its findings among the red flags, no exercises when it withholds
  them).
- ``consultations.yaml``: one script per profile in tests/dialogues/profiles/consultations.yaml,
  whose expected results are written by hand.

The steps in between (state and ``asks`` after each reply) are recorded from the engine, never
the expected results. Run ``python -m tests.tools.write_scripts`` after changing the rules or
the dialogue, then review the diff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from bot.channels.console import turn_json
from bot.knowledge import RedFlagRule, Urgency
from tests.support.engine import real_engine, say

DIALOGUES = Path(__file__).parents[1] / "dialogues"
MAX_STEPS = 30
LOCATION_BUTTONS = {"front": "1", "side": "2", "buttock": "3"}


@dataclass
class Runner:
    """What one runner says: the story, the buttons they tap and the findings they have."""

    present: set[str]
    checklist: set[str] = field(default_factory=set)
    story: str | None = None
    location: str | None = None
    age: int | None = None
    duration: str | None = None

    def reply(self, view: dict[str, Any]) -> str:
        state, asks, options = view["state"], view["asks"], view["options"]
        if state in ("greeting", "review"):
            return "1"
        if state == "describe":
            return self.story or "Skip"
        if state == "location":
            where = self.location or next(
                (place for place in LOCATION_BUTTONS if f"pain_{place}" in self.present), ""
            )
            return LOCATION_BUTTONS.get(where, str(len(options)))
        if asks == ["age"]:
            return str(self.age) if self.age is not None else str(len(options))
        if state == "duration":
            better = "pain_improving" in self.present
            weeks = "Over 2 weeks, better" if better else "Over 2 weeks, not better"
            return {"days": "A few days", "weeks": weeks}.get(self.duration or "", "Not sure")
        if state == "red_flag_screen" or len(asks) > 1:
            ticked = self.checklist | self.present
            chosen = next((i for i, f in enumerate(asks, 1) if f in ticked), None)
            return str(chosen) if chosen is not None else str(len(options))
        return "yes" if asks and asks[0] in self.present else "no"


def record(name: str, runner: Runner, expect: dict[str, Any]) -> dict[str, Any]:
    """Walk ``runner`` through the real engine and write down each step's state and asks."""
    engine = real_engine()
    turn = engine.start(at=1_000_000.0)
    steps: list[dict[str, Any]] = []
    for _ in range(MAX_STEPS):
        line = runner.reply(turn_json(engine, turn))
        turn = say(engine, turn, line)
        view = turn_json(engine, turn)
        if view["result"] is not None:
            steps.append({"user": line, "expect": {"state": "result", "result": expect}})
            return {"name": name, "steps": steps}
        steps.append({"user": line, "expect": {"state": view["state"], "asks": view["asks"]}})
    raise RuntimeError(f"{name}: no result after {MAX_STEPS} steps")


def rule_script(rule: RedFlagRule) -> dict[str, Any]:
    present = {*rule.all_of, *rule.any_of[:1]}
    age = 14 if "age_under_16" in present else 52 if "age_45_plus" in present else 30
    duration = "weeks" if "duration_over_2_weeks" in present else "days"
    expect: dict[str, Any] = {
        "urgency": rule.urgency.value,
        "see_professional": rule.urgency is not Urgency.SELF_CARE,
        "red_flags_include": sorted(present),
    }
    if rule.no_exercises or rule.urgency.rank >= Urgency.URGENT.rank:
        expect["no_exercises"] = True
    runner = Runner(present, age=age, duration=duration)
    return record(f"red flag {rule.id} ({rule.urgency.value})", runner, expect)


def profile_script(profile: dict[str, Any]) -> dict[str, Any]:
    runner = Runner(
        set(profile.get("present", ())),
        checklist=set(profile.get("checklist", ())),
        story=profile.get("story"),
        location=profile.get("location"),
        age=profile.get("age"),
        duration=profile.get("duration"),
    )
    return record(profile["name"], runner, profile["expect"])


def write(path: Path, header: str, scripts: list[dict[str, Any]]) -> None:
    body = yaml.safe_dump({"scripts": scripts}, sort_keys=False, allow_unicode=True, width=99)
    path.write_text(header + body)
    print(f"wrote {len(scripts)} scripts to {path}")


def main() -> None:
    rules = real_engine().knowledge.red_flags
    write(
        DIALOGUES / "red_flags.yaml",
        "# One script per rule in knowledge/red_flags.yaml (python -m tests.tools.write_scripts):\n"
        "# a runner with only that rule's findings; the expected result comes from the rule.\n",
        [rule_script(rule) for rule in rules],
    )
    profiles = yaml.safe_load((DIALOGUES / "profiles" / "consultations.yaml").read_text())
    write(
        DIALOGUES / "consultations.yaml",
        "# Whole consultations from tests/dialogues/profiles/consultations.yaml\n"
        "# (python -m tests.tools.write_scripts); expected results are written in the profiles.\n",
        [profile_script(profile) for profile in profiles],
    )


if __name__ == "__main__":
    main()

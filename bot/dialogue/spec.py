"""The shape of a dialogue file (``dialogues/*.yaml``) and its checks against the knowledge."""

from __future__ import annotations

from collections import deque
from enum import StrEnum
from pathlib import Path
from string import Formatter
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from bot.dialogue import markup
from bot.knowledge import Knowledge
from bot.knowledge.model import BUTTON_LENGTH, ButtonLabel, Id, Text
from bot.problems import DataError, Problem, read_yaml, validate_document


class Kind(StrEnum):
    """How a state reads the runner's answer."""

    CHOICE = "choice"
    """Pick one option (buttons); an option may set findings."""
    CHECKLIST = "checklist"
    """Tick any of several findings, or "none of these"."""
    FREE_TEXT = "free_text"
    """Describe in your own words; every finding mentioned is recorded."""
    AGE = "age"
    """An age in years or an age band."""
    YES_NO = "yes_no"
    """Yes, no or not sure about the finding chosen by the question planner."""
    PICK_ANSWER = "pick_answer"
    """Choose one of your earlier answers to change."""
    RESULT = "result"
    """The assessment; the conversation can go on from here with commands."""


class Strict(BaseModel):
    """Base for dialogue models: no unknown keys, immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class OptionSpec(Strict):
    """A button: its label, the value it sends, and findings it sets when chosen."""

    label: ButtonLabel
    value: Id
    sets: dict[Id, bool] = Field(default_factory=dict)
    age: Annotated[int | None, Field(ge=1, le=110)] = None


class Transition(Strict):
    """Go ``to`` a state when every ``when`` condition holds and no ``unless`` condition does."""

    to: Id
    when: tuple[Id, ...] = ()
    unless: tuple[Id, ...] = ()


class StateSpec(Strict):
    """One step of the conversation."""

    kind: Kind
    say: Annotated[tuple[Id, ...], Field(min_length=1)]
    why: Id
    options: tuple[OptionSpec, ...] = ()
    findings: tuple[Id, ...] = ()
    none_label: ButtonLabel | None = None
    next: tuple[Transition, ...] = ()


class DialogueSpec(Strict):
    """A whole dialogue file."""

    version: Text
    initial: Id
    result: Id
    follow_up: Id
    idle_minutes: Annotated[float, Field(gt=0)] = 30
    max_questions: Annotated[int, Field(ge=0, le=30)] = 8
    ask_early: tuple[Id, ...] = ()
    """Findings asked first among the targeted questions while unanswered (core history)."""
    ask_when_present: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    """A finding → the findings to ask next once it is present (the course after a duration)."""
    unreadable_limit: Annotated[int, Field(ge=1, le=5)] = 2
    texts: Annotated[dict[Id, Text], Field(min_length=1)]
    states: Annotated[dict[Id, StateSpec], Field(min_length=2)]


REQUIRED_TEXTS = (
    "help", "not_understood", "still_not_understood", "moved_on",
    "nothing_to_undo", "went_back", "idle", "continue", "start_again", "forgotten", "not_sure",
    "exercises_not_yet", "exercises_withheld", "summary_title", "disclaimer", "why_question",
    "why_safety", "why_result", "result_updated", "causes_title", "for_label", "against_label",
    "self_care_title", "see_title", "exercises_offer", "worse_title", "version_line",
    "summary_have", "summary_not", "summary_unsure", "summary_age", "no_answers", "dose_label",
    "form_label", "stop_label", "progression_label", "rules_title", "avoid_title",
    "summary_result", "summary_exercises", "answer_noted", "for_someone", "result_ready",
    "learn_intro",
    "library_button", "library_intro", "library_avoid", "clinician_causes", "result_heading",
    "flag_line", "cause_line", "exercise_title", "topic_title", "video_link", "guide_link",
    "checkin_offer", "checkin_planned", "checkin_declined", "checkin_cancelled", "checkins_none",
    "checkins_list", "checkin_hello", "checkin_compare", "checkin_worse", "checkin_better",
    "checkin_same_early", "checkin_same_see", "pain_during", "pain_morning", "followup_unread",
    "followup_dropped", "plan_start", "plan_step", "plan_no_run", "plan_safe", "plan_advance",
    "plan_finished", "plan_hold", "plan_back", "plan_withheld", "progress_none", "progress_title",
    "yes", "no", "why_cause_line", "summary_cause_line", "warning_line", "band_likely",
    "band_possible", "band_less_likely", "more_items", "offer_3_days", "offer_week",
    "offer_decline", "checkin_cancel", "when_tomorrow", "when_days", "when_hour", "when_hours",
    "trend_better", "trend_same", "trend_worse", "no_run", "chart_caption", "not_text",
    "group_notice", "private_chat", "store_down", "chart_title", "chart_x", "chart_y",
    "chart_during", "chart_morning", "chart_safe", "chart_acceptable", "chart_too_much",
)  # fmt: skip


BUTTON_TEXTS = (
    "continue", "start_again", "not_sure", "library_button", "yes", "no", "offer_3_days",
    "offer_week", "offer_decline", "checkin_cancel", "trend_better", "trend_same", "trend_worse",
    "no_run",
)  # fmt: skip
"""Texts shown as button labels."""

TEXT_FIELDS: dict[str, frozenset[str]] = {
    "exercises_offer": frozenset({"names"}),
    "library_avoid": frozenset({"name", "why"}),
    "see_title": frozenset({"who", "when"}),
    "clinician_causes": frozenset({"causes"}),
    "summary_age": frozenset({"age"}),
    "version_line": frozenset({"version"}),
    "result_heading": frozenset({"icon", "label"}),
    "flag_line": frozenset({"title"}),
    "cause_line": frozenset({"name", "band"}),
    "exercise_title": frozenset({"name"}),
    "topic_title": frozenset({"title"}),
    "why_question": frozenset({"causes"}),
    "why_safety": frozenset({"flag"}),
    "checkin_planned": frozenset({"when"}),
    "checkins_list": frozenset({"when"}),
    "checkin_same_early": frozenset({"when"}),
    "checkin_same_see": frozenset({"days"}),
    "plan_start": frozenset({"before"}),
    "plan_step": frozenset({"step", "number", "total"}),
    "progress_title": frozenset({"runs", "streak"}),
    "why_cause_line": frozenset({"name", "band", "reasons"}),
    "summary_cause_line": frozenset({"name", "band"}),
    "warning_line": frozenset({"title"}),
    "more_items": frozenset({"count"}),
    "when_days": frozenset({"days"}),
    "when_hours": frozenset({"hours"}),
    "group_notice": frozenset({"link"}),
    **{f"plan_{v}": frozenset({"during", "morning"}) for v in ("safe", "advance", "finished")},
    **{f"plan_{v}": frozenset({"during", "morning"}) for v in ("hold", "back")},
}
"""The ``{placeholders}`` each required text is filled with (the others get none)."""
PROMPT_FIELDS = frozenset({"question", "hint", "answers", "items"})
"""The placeholders of texts a state says (its ``say`` list), unless also used elsewhere."""


def load_dialogue(path: Path, knowledge: Knowledge, conditions: frozenset[str]) -> DialogueSpec:
    """Load one dialogue file and check it against the knowledge and the condition registry.

    Raises:
        DataError: every problem found, each as ``file: path: what is wrong``.
    """
    name = f"dialogues/{path.name}"
    document, problems = read_yaml(path, shown_as=name)
    if problems:
        raise DataError(problems)
    spec, problems = validate_document(DialogueSpec, document, shown_as=name)
    if spec is None:
        raise DataError(problems)
    problems = check_dialogue(spec, knowledge, conditions, shown_as=name)
    if problems:
        raise DataError(problems)
    return spec


def check_dialogue(
    spec: DialogueSpec, knowledge: Knowledge, conditions: frozenset[str], *, shown_as: str
) -> list[Problem]:
    """Cross-references and graph checks: every state reachable, every path can reach a result."""
    problems: list[Problem] = []

    def problem(path: str, message: str) -> None:
        problems.append(Problem(shown_as, path, message))

    ends = (("initial", spec.initial), ("result", spec.result), ("follow_up", spec.follow_up))
    for field, state_id in ends:
        if state_id not in spec.states:
            problem(field, f"unknown state '{state_id}'")
    if spec.follow_up in spec.states and spec.states[spec.follow_up].kind is not Kind.YES_NO:
        problem(f"states.{spec.follow_up}.kind", "the follow-up state must have kind 'yes_no'")
    if spec.result in spec.states and spec.states[spec.result].kind is not Kind.RESULT:
        problem(f"states.{spec.result}.kind", "the result state must have kind 'result'")
    for i, finding in enumerate(spec.ask_early):
        if finding not in knowledge.findings:
            problem(f"ask_early[{i}]", f"unknown finding '{finding}'")
    for trigger, asked in spec.ask_when_present.items():
        for finding in (trigger, *asked):
            if finding not in knowledge.findings:
                problem(f"ask_when_present.{trigger}", f"unknown finding '{finding}'")
    for text_id in REQUIRED_TEXTS:
        if text_id not in spec.texts:
            problem("texts", f"missing required text '{text_id}'")

    for text_id in BUTTON_TEXTS:
        if len(spec.texts.get(text_id, "")) > BUTTON_LENGTH:
            problem(f"texts.{text_id}", f"a button label: at most {BUTTON_LENGTH} characters")

    prompts = {text_id for state in spec.states.values() for text_id in state.say}
    whys = {state.why for state in spec.states.values()}
    for text_id, text in spec.texts.items():
        fields = TEXT_FIELDS.get(text_id, frozenset())
        if text_id in prompts and text_id not in whys and text_id not in REQUIRED_TEXTS:
            fields = PROMPT_FIELDS
        for message in _placeholder_problems(text, fields) + markup.problems(text):
            problem(f"texts.{text_id}", message)

    for state_id, state in spec.states.items():
        at = f"states.{state_id}"
        for i, text_id in enumerate((*state.say, state.why)):
            if text_id not in spec.texts:
                field = f"say[{i}]" if i < len(state.say) else "why"
                problem(f"{at}.{field}", f"unknown text '{text_id}'")
        for i, finding in enumerate(state.findings):
            if finding not in knowledge.findings:
                problem(f"{at}.findings[{i}]", f"unknown finding '{finding}'")
            elif knowledge.findings[finding].button is None:
                problem(f"{at}.findings[{i}]", f"'{finding}' needs a `button:` label")
        for i, option in enumerate(state.options):
            for finding in option.sets:
                if finding not in knowledge.findings:
                    problem(f"{at}.options[{i}].sets", f"unknown finding '{finding}'")
        if state.kind is Kind.CHECKLIST and (not state.findings or not state.none_label):
            problem(at, "a checklist needs findings and a none_label")
        if state.kind in (Kind.CHOICE, Kind.AGE) and not state.options:
            problem(f"{at}.options", f"a '{state.kind}' state needs options")
        if state.kind is not Kind.RESULT:
            if not state.next:
                problem(f"{at}.next", "a state other than the result needs transitions")
            elif state.next[-1].when or state.next[-1].unless:
                problem(f"{at}.next", "the last transition must have no conditions (a fallback)")
        for i, transition in enumerate(state.next):
            if transition.to not in spec.states:
                problem(f"{at}.next[{i}].to", f"unknown state '{transition.to}'")
            for field in ("when", "unless"):
                for name in getattr(transition, field):
                    if name not in conditions:
                        known = ", ".join(sorted(conditions))
                        problem(f"{at}.next[{i}].{field}", f"unknown condition '{name}' ({known})")
    if problems:
        return problems

    reachable = _reachable(spec, spec.initial)
    for state_id in spec.states:
        if state_id not in reachable:
            problem(f"states.{state_id}", "cannot be reached from the initial state")
        elif spec.result not in _reachable(spec, state_id):
            problem(f"states.{state_id}", "no path from here reaches the result")
    return problems


def _placeholder_problems(text: str, fields: frozenset[str]) -> list[str]:
    """What would make ``text.format(**values)`` fail, or show more than the given fields."""
    try:
        parsed = [
            (name, spec, conv)
            for _, name, spec, conv in Formatter().parse(text)
            if name is not None
        ]
    except ValueError:
        return ["has a lone { or } (write {{ or }} for a literal brace)"]
    known = ", ".join(f"{{{field}}}" for field in sorted(fields)) or "none"
    messages = []
    for name, spec, conversion in parsed:
        if name not in fields:
            messages.append(f"unknown placeholder {{{name}}} (this text can use: {known})")
        elif spec or conversion:
            messages.append(f"write the placeholder {{{name}}} plainly, with no ! or :")
    return messages


def _reachable(spec: DialogueSpec, start: str) -> set[str]:
    seen = {start}
    queue = deque([start])
    while queue:
        for transition in spec.states[queue.popleft()].next:
            if transition.to not in seen:
                seen.add(transition.to)
                queue.append(transition.to)
    return seen

"""Keyboards on a phone: short labels, short buttons side by side, and no stale buttons."""

from __future__ import annotations

import dataclasses

import pydantic
import pytest

from bot.channels.telegram import keyboard, keyboard_json
from bot.dialogue import CONDITION_NAMES, Incoming, Option
from bot.dialogue.spec import BUTTON_TEXTS, Kind, check_dialogue
from bot.knowledge import Exercise
from bot.knowledge.model import BUTTON_LENGTH
from tests.fakes.bot_api import FakeBotAPI
from tests.support.engine import real_engine
from tests.support.phone import scripted_turns
from tests.support.polling import CHAT, running_bot
from tests.support.telegram import Reference


def every_label() -> set[str]:
    """Every button label the dialogue and the knowledge can put on screen."""
    engine = real_engine()
    dialogue, knowledge = engine.dialogue, engine.knowledge
    labels = {o.label for state in dialogue.states.values() for o in state.options}
    labels |= {s.none_label for s in dialogue.states.values() if s.none_label}
    labels |= {dialogue.texts[text_id] for text_id in BUTTON_TEXTS}
    labels |= {engine.render.button(f) for f in knowledge.findings}
    labels |= {e.button_label for e in knowledge.exercises.values()}
    labels |= {t.button_label for t in knowledge.topics.values()}
    return labels


def test_every_button_label_fits_a_phone() -> None:
    long = {label for label in every_label() if len(label) > BUTTON_LENGTH}
    assert not long


def test_every_scripted_turn_shows_short_labels() -> None:
    for script, _, turn in scripted_turns():
        assert all(len(o.label) <= BUTTON_LENGTH for o in turn.options), script.name


def test_a_checklist_lists_the_full_wording_its_buttons_shorten() -> None:
    engine = real_engine()
    turn = engine.step(engine.start(at=1.0).session, Incoming(button="start", at=2.0))
    state = engine.dialogue.states[turn.session.state]
    assert state.kind is Kind.CHECKLIST
    text = turn.replies[-1].plain_text
    for finding in state.findings:
        assert f"• {engine.knowledge.findings[finding].label}" in text


def test_a_checklist_finding_without_a_short_label_is_reported() -> None:
    engine = real_engine()
    knowledge = engine.knowledge
    fever = knowledge.findings["fever"].model_copy(update={"button": None})
    findings = {**knowledge.findings, "fever": fever}
    changed = dataclasses.replace(knowledge, findings=findings)
    found = check_dialogue(engine.dialogue, changed, CONDITION_NAMES, shown_as="d.yaml")
    assert [str(p) for p in found] == [
        "d.yaml: states.red_flag_screen.findings[2]: 'fever' needs a `button:` label"
    ]


def test_an_exercise_named_too_long_for_a_button_needs_a_short_label() -> None:
    exercise = real_engine().knowledge.exercises["clamshell"].model_dump()
    exercise["name"] = "A very long exercise name for a button"
    with pytest.raises(pydantic.ValidationError, match="add a `button:` label"):
        Exercise(**exercise)
    Exercise(**{**exercise, "button": "Long one"})


def test_short_buttons_share_a_row_and_long_ones_have_their_own() -> None:
    def rows(*labels: str) -> list[list[str]]:
        markup = keyboard([Option(label, f"v{i}") for i, label in enumerate(labels)], 3)
        assert markup is not None
        return [[b.text for b in row] for row in markup.inline_keyboard]

    assert rows("Yes", "No", "Not sure") == [["Yes", "No", "Not sure"]]
    assert rows("Under 16", "16 to 44", "45 or over", "Prefer not to say") == [
        ["Under 16", "16 to 44", "45 or over"],
        ["Prefer not to say"],
    ]
    assert rows("Show exercises", "Summary to share", "Start again") == [
        ["Show exercises"],
        ["Summary to share"],
        ["Start again"],
    ]


async def test_a_tapped_question_loses_its_keyboard(fake_bot_api: FakeBotAPI) -> None:
    async with running_bot(fake_bot_api) as bot:
        [greeting] = await bot.say("/start", 1)
        asked = bot.message_with("1:start")
        assert fake_bot_api.message(CHAT, asked)["reply_markup"]  # type: ignore[index]
        await bot.tap("1:start", 1)
        await fake_bot_api.wait_for(method="editMessageReplyMarkup", answered=True)
        assert "reply_markup" not in (fake_bot_api.message(CHAT, asked) or {})
        [screen] = bot.sent()[-1:]
        assert screen.buttons and greeting.buttons == ("1:start",)
        await bot.quiet(0.1)


async def test_a_typed_answer_clears_the_keyboard_of_the_question(
    fake_bot_api: FakeBotAPI,
) -> None:
    reference = Reference()
    async with running_bot(fake_bot_api) as bot:
        await bot.say("/start", len(reference.text("/start")))
        await bot.tap("1:start", len(reference.tap("start")))
        asked = bot.message_with("2:none")
        await bot.say("none of these", len(reference.text("none of these")))
        await fake_bot_api.wait_for(2, method="editMessageReplyMarkup", answered=True)
        assert "reply_markup" not in (fake_bot_api.message(CHAT, asked) or {})
        assert bot.sent()[-1].buttons  # the next question has its own
        await bot.quiet(0.1)


@pytest.mark.parametrize("step", [0, 7, 12345, 999_999_999])
def test_the_keyboard_json_is_the_keyboard_ptb_would_send(step: int) -> None:
    engine = real_engine()
    option_sets = [
        [Option(o.label, o.value) for o in state.options]
        for state in engine.dialogue.states.values()
        if state.options
    ]
    option_sets.append([Option("Yes", "yes"), Option("No", "no"), Option("Not sure", "not_sure")])
    option_sets.append([Option("far too long", "x" * 60), Option("Ok", "ok")])  # one left out
    option_sets.append([])
    for options in option_sets:
        markup = keyboard(options, step)
        assert keyboard_json(options, step) == (markup.to_dict() if markup else None)

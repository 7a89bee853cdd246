"""What a runner sees on a phone: every result, summary and exercise card within the limits.

A self-care or see-a-professional result is at most three messages (urgency and what to do now
in at most 600 characters, the causes, what to do); an urgent or emergency result is one. No
message is over 1,200 characters as shown, and every message is well-formed markup.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.channels.telegram import message_texts
from bot.dialogue import Incoming, Reply, Turn
from bot.dialogue.markup import problems, visible_length
from bot.dialogue.render import MESSAGE_LIMIT
from bot.knowledge import Urgency
from tests.fakes.bot_api import FakeBotAPI
from tests.support.engine import real_engine
from tests.support.phone import CONSULTATIONS, actions, scripted_turns
from tests.support.polling import running_bot
from tests.support.telegram import Reference
from tests.tools import phone_mock

HEAD_LIMIT = 600


def check_result(messages: list[str], urgency: Urgency) -> None:
    """The limits on a result's messages (as sent, HTML)."""
    assert all(not problems(m) for m in messages), messages
    lengths = [visible_length(m) for m in messages]
    assert max(lengths) <= MESSAGE_LIMIT, lengths
    if urgency.rank >= Urgency.URGENT.rank:
        assert len(messages) == 1, lengths
    else:
        assert len(messages) <= 3, lengths
        assert lengths[0] <= HEAD_LIMIT, lengths


def check_messages(messages: list[str]) -> None:
    """Any other messages: well-formed and within the limit."""
    assert all(not problems(m) for m in messages), messages
    assert max(visible_length(m) for m in messages) <= MESSAGE_LIMIT


def scripted_results() -> list[tuple[str, Turn]]:
    """Every turn of every dialogue script that shows a result."""
    return [
        (script.name, turn)
        for script, before, turn in scripted_turns()
        if turn.assessment is not None and before.session.state != "result"
    ]


def test_every_scripted_result_and_summary_fits_a_phone() -> None:
    engine = real_engine()
    results = scripted_results()
    assert {turn.assessment.urgency for _, turn in results if turn.assessment} == set(Urgency)
    for name, turn in results:
        assert turn.assessment is not None
        result = [Reply(text, formatted=True) for text in engine.render.result(turn.assessment)]
        check_result(message_texts(result), turn.assessment.urgency)
        check_messages(message_texts(turn.replies))
        summary = engine.step(turn.session, Incoming(text="/summary", at=turn.session.updated_at))
        check_messages(message_texts(summary.replies[:1]))
        assert name


@pytest.mark.parametrize("urgency", list(CONSULTATIONS))
async def test_a_consultation_of_each_urgency_fits_a_phone_at_the_bot_api(
    fake_bot_api: FakeBotAPI, urgency: str
) -> None:
    reference = Reference()
    steps = actions(CONSULTATIONS[urgency], reference)
    async with running_bot(fake_bot_api) as bot:
        for action in steps:
            if action.kind == "text":
                got = await bot.say(action.value, len(action.expected))
            else:
                got = await bot.tap(action.callback_data, len(action.expected))
            assert got == action.expected
        result = [m.text for m in steps[-1].expected]
        check_result(result, Urgency(urgency))
        summary = await bot.say("/summary", len(reference.text("/summary")))
        check_messages([summary[0].text])
        if any(o.value == "exercises" for o in reference.options):
            cards = await bot.say("/exercises", len(reference.text("/exercises")))
            check_messages([m.text for m in cards])
        await bot.quiet(0.1)


def test_the_phone_mock_renders_a_page_per_urgency_level(tmp_path: Path) -> None:
    assert phone_mock.main([str(tmp_path)]) == 0
    pages = {path.stem: path.read_text() for path in tmp_path.glob("*.html")}
    assert set(pages) == {*CONSULTATIONS, "opening"}
    assert "<blockquote expandable>" in pages["self_care"]
    assert pages["self_care"].count('<div class="kb">') == 1  # answered questions lose theirs

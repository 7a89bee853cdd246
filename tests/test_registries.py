"""The dialogue's closed registries: conditions, commands and state kinds."""

from __future__ import annotations

import re

from bot.dialogue import COMMANDS, MENU, Incoming, Kind
from bot.dialogue.commands import RESULT_ACTIONS, command_name
from bot.dialogue.kinds import KINDS
from tests.support.engine import real_engine


def test_every_state_kind_has_its_behaviour() -> None:
    assert set(KINDS) == set(Kind)


def test_the_menu_and_the_result_buttons_name_registered_commands() -> None:
    assert {name for name, _ in MENU} <= set(COMMANDS)
    assert all(about.strip() for _, about in MENU)
    assert set(RESULT_ACTIONS) <= set(COMMANDS)
    result = real_engine().dialogue.states[real_engine().dialogue.result]
    assert set(RESULT_ACTIONS) <= {option.value for option in result.options}


def test_help_lists_every_command_but_start_and_help() -> None:
    listed = set(re.findall(r"/([a-z_]+)", real_engine().dialogue.texts["help"]))
    assert listed == set(COMMANDS) - {"start", "help"}


def test_command_names_are_read_like_telegram_sends_them() -> None:
    assert command_name(Incoming(text="/Start@hipbot_bot now")) == "start"
    assert command_name(Incoming(text="  /log 3 during, 2 next morning")) == "log"
    assert command_name(Incoming(text="start")) is None
    assert command_name(Incoming(button="restart")) is None


def test_an_unknown_command_is_answered_like_help() -> None:
    engine = real_engine()
    start = engine.start(at=1.0)
    unknown = engine.step(start.session, Incoming(text="/nonsense", at=2.0))
    helped = engine.step(start.session, Incoming(text="/help", at=2.0))
    assert [r.text for r in unknown.replies] == [r.text for r in helped.replies]
    assert unknown.replies[0].text == engine.render.text("help")

"""The closed registry of commands (``/start``, ``/help``…), in the style of
:mod:`bot.dialogue.conditions`: each command's name is written here once, with what it does and
its line in a channel's commands menu.

A command works from any state. An unknown command is answered like ``/help``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.dialogue.messages import Incoming, Option

if TYPE_CHECKING:
    from bot.dialogue.engine import Draft, Engine

TOPIC_PREFIX = "topic:"
EXERCISE_PREFIX = "exercise:"
LIBRARY = "library"
_COMMAND = re.compile(r"^\s*/([a-z_]+)(?:@\w+)?(?:\s.*)?$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class Command:
    """What a command does, and how a channel's commands menu describes it (``None``: it is
    left out of the menu)."""

    run: Callable[[Engine, Draft], None]
    about: str | None = None


def command_name(incoming: Incoming) -> str | None:
    """The command a message sends (``"/Start@hipbot now"`` → ``"start"``), or ``None``."""
    if incoming.text is None:
        return None
    match = _COMMAND.match(incoming.text)
    return match.group(1).lower() if match else None


def start(engine: Engine, draft: Draft) -> None:
    """Start over; a new consultation keeps the planned check-in and the running plan."""
    session = draft.session
    fresh = engine.new_session()
    fresh.step = session.step
    fresh.checkin = session.checkin
    fresh.plan = session.plan
    draft.session = fresh
    engine.prompt(draft)


def forget(engine: Engine, draft: Draft) -> None:
    """Delete everything stored about the chat (the channel deletes it from the store)."""
    fresh = engine.new_session()
    fresh.step = draft.session.step
    draft.session = fresh
    draft.forget = True
    draft.say(engine.render.text("forgotten"))


def back(engine: Engine, draft: Draft) -> None:
    """Undo the last answer."""
    went_back = draft.session.undo()
    draft.say(engine.render.text("went_back" if went_back else "nothing_to_undo"))
    engine.prompt(draft)


def why(engine: Engine, draft: Draft) -> None:
    """Why this question, or why this result."""
    engine.why(draft)


def checkins(engine: Engine, draft: Draft) -> None:
    """The planned check-in, with a button to cancel it."""
    engine.list_checkins(draft)


def log(engine: Engine, draft: Draft) -> None:
    """The pains of a run."""
    engine.log(draft)


def progress(engine: Engine, draft: Draft) -> None:
    """Where the runner is in the return-to-running plan, with a chart."""
    engine.progress(draft)


def learn(engine: Engine, draft: Draft) -> None:
    """The advice topics and the exercise library."""
    topics = tuple(
        Option(t.button_label, f"{TOPIC_PREFIX}{t.id}") for t in engine.knowledge.topics.values()
    )
    library = Option(engine.render.label("library_button"), LIBRARY)
    draft.say(engine.render.text("learn_intro"), options=(*topics, library))


def summary(engine: Engine, draft: Draft) -> None:
    """A text to share with a clinician."""
    session = draft.session
    at_result = session.state == engine.dialogue.result
    draft.say(engine.render.summary(session, engine.assessment(session) if at_result else None))
    engine.prompt(draft)


def exercises(engine: Engine, draft: Draft) -> None:
    """The exercises, once there is a result."""
    session = draft.session
    if session.state != engine.dialogue.result:
        draft.say(engine.render.text("exercises_not_yet"))
        engine.prompt(draft)
        return
    draft.say(*engine.render.exercises(engine.assessment(session)))
    draft.replies[-1] = replace(draft.replies[-1], options=engine.options(session))


def help_(engine: Engine, draft: Draft) -> None:
    """What the bot does and its commands."""
    draft.say(engine.render.text("help"))
    engine.prompt(draft)


COMMANDS: dict[str, Command] = {
    "start": Command(start, "Start a consultation"),
    "help": Command(help_, "What I can do"),
    "back": Command(back, "Undo your last answer"),
    "restart": Command(start, "Start over"),
    "why": Command(why, "Why this question or this result"),
    "summary": Command(summary, "A summary to share with a clinician"),
    "exercises": Command(exercises, "Your exercises, once you have a result"),
    "learn": Command(learn, "Advice topics and the exercise library"),
    "checkins": Command(checkins, "Your planned check-in, and cancelling it"),
    "forget": Command(forget, "Delete everything stored about this chat"),
    "log": Command(log),
    "progress": Command(progress),
}
"""Every command by name, in the order of the commands menu."""
MENU: tuple[tuple[str, str], ...] = tuple(
    (name, command.about) for name, command in COMMANDS.items() if command.about is not None
)
"""The commands menu a channel publishes (Telegram's ``setMyCommands``): (name, about)."""
RESULT_ACTIONS = ("exercises", "summary", "restart")
"""The result's buttons that run a command of the same name."""

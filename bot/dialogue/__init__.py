"""The consultation dialogue: a YAML-declared state machine and its pure engine."""

from bot.dialogue.commands import COMMANDS, MENU
from bot.dialogue.conditions import CONDITION_NAMES
from bot.dialogue.engine import Engine, Turn
from bot.dialogue.messages import Incoming, Option, Reply
from bot.dialogue.session import Session, SessionFormatError
from bot.dialogue.spec import DialogueSpec, Kind, load_dialogue

__all__ = [
    "COMMANDS",
    "CONDITION_NAMES",
    "MENU",
    "DialogueSpec",
    "Engine",
    "Incoming",
    "Kind",
    "Option",
    "Reply",
    "Session",
    "SessionFormatError",
    "Turn",
    "load_dialogue",
]

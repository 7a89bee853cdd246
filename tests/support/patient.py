"""A simulated patient: answers hipbot's questions from a vignette's facts over the console's
``--json`` protocol, in one long-running ``hipbot console --json`` process.

The vignette's ``present`` findings are answered yes, its ``absent`` ones no, and every other
finding "not sure": a runner knows only what their story says. By buttons the patient taps the
answer; by free text it types one of several everyday phrasings, chosen per question.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zlib
from dataclasses import dataclass
from typing import Any

LOCATIONS = ("pain_front", "pain_side", "pain_buttock")
MAX_TURNS = 40
MODES = ("buttons", "free_text")
TYPED = {
    "yes": ("yes", "yeah, a bit", "yep", "I think so, yes", "definitely", "sure does"),
    "no": ("no", "nope", "not really", "no, that's fine", "not that I've noticed", "nah"),
    "unsure": ("not sure", "hard to say", "no idea", "dunno", "can't tell"),
}
TAPPED = {"yes": "Yes", "no": "No", "unsure": "Not sure"}


@dataclass
class Consultation:
    """What happened in one simulated consultation."""

    result: dict[str, Any]
    questions: int
    transcript: list[tuple[str, list[str]]]


class ConsoleProcess:
    """``hipbot console --json`` as a subprocess: send a line, read one JSON turn."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console", "--json"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            bufsize=1,
        )
        self.turn = self._read()

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("hipbot console exited")
        return json.loads(line)

    def send(self, line: str) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(line.replace("\n", " ") + "\n")
        self.process.stdin.flush()
        self.turn = self._read()
        return self.turn

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)
        self.process.stdout.close()


def truth(vignette: dict[str, Any], finding: str) -> str:
    """``yes``, ``no`` or ``unsure``: what this runner knows about one finding."""
    if finding in (vignette.get("present") or ()):
        return "yes"
    if finding in (vignette.get("absent") or ()):
        return "no"
    return "unsure"


def phrase(vignette: dict[str, Any], finding: str, mode: str) -> str:
    """The reply to a yes/no question, tapped or typed."""
    known = truth(vignette, finding)
    if mode == "buttons":
        return TAPPED[known]
    choices = TYPED[known]
    return choices[zlib.crc32(f"{vignette['id']}:{finding}".encode()) % len(choices)]


def duration_reply(vignette: dict[str, Any], mode: str) -> str:
    """How long it has hurt: a tapped range, or the runner's own words."""
    known = truth(vignette, "duration_over_2_weeks")
    if mode == "buttons":
        if known == "yes":
            better = truth(vignette, "pain_improving") == "yes"
            return "Over 2 weeks, better" if better else "Over 2 weeks, not better"
        return "A few days" if known == "no" else "Not sure"
    weeks = vignette.get("weeks")
    if known == "unsure" or weeks is None:
        return "not sure, it comes and goes"
    return f"about {round(weeks)} weeks" if weeks >= 1 else "only a few days"


def answer(turn: dict[str, Any], vignette: dict[str, Any], mode: str = "buttons") -> str:
    """The patient's reply to the bot's current turn."""
    present = set(vignette.get("present") or [])
    state, asks, options = turn["state"], turn["asks"], turn["options"]
    if state == "describe":
        return vignette["story"]
    if state == "duration":
        return duration_reply(vignette, mode)
    if asks == ["age"]:
        return str(vignette["age"]) if mode == "buttons" else f"I'm {vignette['age']}"
    if asks and set(asks) <= set(LOCATIONS) and len(asks) > 1:
        for index, finding in enumerate(asks, 1):
            if finding in present:
                return str(index)
        return "Not sure"
    if len(asks) > 1 or state == "red_flag_screen":
        for index, finding in enumerate(asks, 1):
            if finding in present:
                return str(index)
        return str(len(options))
    if len(asks) == 1:
        return phrase(vignette, asks[0], mode)
    return "1"


def consult(
    console: ConsoleProcess, vignette: dict[str, Any], mode: str = "buttons"
) -> Consultation:
    """Run one whole consultation from ``/restart`` to the result."""
    turn = console.send("/restart")
    transcript: list[tuple[str, list[str]]] = []
    questions = 0
    for _ in range(MAX_TURNS):
        if turn["result"] is not None:
            return Consultation(turn["result"], questions, transcript)
        if turn["state"] not in ("greeting", "review"):
            questions += 1
        reply = answer(turn, vignette, mode)
        transcript.append((reply, turn["asks"]))
        turn = console.send(reply)
    raise AssertionError(f"no result after {MAX_TURNS} turns: {transcript}")

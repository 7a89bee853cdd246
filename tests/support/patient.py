"""A simulated patient: answers hipbot's questions from a vignette's facts over the console's
``--json`` protocol, in one long-running ``hipbot console --json`` process."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

LOCATIONS = ("pain_front", "pain_side", "pain_buttock")
MAX_TURNS = 40


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


def answer(turn: dict[str, Any], vignette: dict[str, Any]) -> str:
    """The patient's reply to the bot's current turn."""
    present = set(vignette.get("present") or [])
    unsure = set(vignette.get("unsure") or [])
    state, asks, options = turn["state"], turn["asks"], turn["options"]
    if state == "describe":
        return vignette["story"]
    if asks == ["age"]:
        return str(vignette["age"])
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
        finding = asks[0]
        return "yes" if finding in present else "not sure" if finding in unsure else "no"
    return "1"


def consult(console: ConsoleProcess, vignette: dict[str, Any]) -> Consultation:
    """Run one whole consultation from ``/restart`` to the result."""
    turn = console.send("/restart")
    transcript: list[tuple[str, list[str]]] = []
    questions = 0
    for _ in range(MAX_TURNS):
        if turn["result"] is not None:
            return Consultation(turn["result"], questions, transcript)
        if turn["state"] not in ("greeting", "review"):
            questions += 1
        reply = answer(turn, vignette)
        transcript.append((reply, turn["asks"]))
        turn = console.send(reply)
    raise AssertionError(f"no result after {MAX_TURNS} turns: {transcript}")

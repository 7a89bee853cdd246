"""The console dialogue tester: the JSON protocol contract and the interactive chat."""

from __future__ import annotations

import io
import json
import subprocess
import sys

from bot.channels.console import run_interactive, run_json
from tests.support.engine import real_engine

KEYS = {"messages", "options", "state", "asks", "result"}
RESULT_KEYS = {"urgency", "causes", "exercises", "see_professional", "red_flags"}


def test_json_protocol_one_line_per_input_plus_one_at_start():
    lines = ["1", "None of these", "i fell and cannot put weight on it", "/summary"]
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--json"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    turns = [json.loads(line) for line in done.stdout.splitlines()]
    assert len(turns) == len(lines) + 1
    for turn in turns:
        assert set(turn) == KEYS
        assert all(isinstance(m, str) for m in turn["messages"])
        assert all(isinstance(o, str) for o in turn["options"])
    assert turns[0]["state"] == "greeting" and turns[0]["result"] is None
    assert turns[1]["asks"] == ["cannot_bear_weight", "fall_or_injury", "fever",
                                "saddle_numbness_or_bladder"]  # fmt: skip
    result = turns[3]["result"]
    assert set(result) == RESULT_KEYS
    assert result["urgency"] == "emergency"
    assert result["exercises"] == [] and result["see_professional"] is True
    assert set(result["red_flags"]) == {"fall_or_injury", "cannot_bear_weight"}


def test_stdin_not_a_terminal_means_json_mode():
    done = subprocess.run(
        [sys.executable, "-m", "bot", "console"], input="", capture_output=True, text=True,
        timeout=60, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout)["state"] == "greeting"


def test_interactive_numbers_options_and_accepts_numbers_or_text():
    inputs = iter(["1", "none of these", "my outer hip hurts"])

    def read(prompt: str) -> str:
        try:
            return next(inputs)
        except StopIteration:
            raise EOFError from None

    out = io.StringIO()
    run_interactive(real_engine(), read, out)
    text = out.getvalue()
    assert "   1) Let's start" in text
    assert "   5) None of these" in text
    assert "tell me about your pain" in text
    assert "How old are you?" in text
    assert text.rstrip().endswith("Bye — look after that hip!")


def test_run_json_in_process_returns_the_final_session():
    out = io.StringIO()
    session = run_json(real_engine(), ["1", "5"], out, clock=lambda: 100.0)
    assert session.state == "describe"
    assert len(out.getvalue().splitlines()) == 3

"""The console dialogue tester: the JSON protocol contract and the interactive chat."""

from __future__ import annotations

import io
import json
import sqlite3
import subprocess
import sys
from functools import partial

from bot.channels.console import run_interactive, run_json
from bot.service import ChatService
from bot.store import MemorySessionStore
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


def test_the_console_keeps_its_conversation_in_the_store_it_is_given(tmp_path):
    db = tmp_path / "console.db"
    store = ["--store", f"sqlite:///{db}"]
    run = partial(subprocess.run, capture_output=True, text=True, timeout=60, check=True)
    run([sys.executable, "-m", "bot", "console", "--json", *store], input="1\n5\n")
    with sqlite3.connect(db) as conn:
        keys = [key for (key,) in conn.execute("SELECT key FROM sessions")]
    assert keys == ["console:local"]
    run([sys.executable, "-m", "bot", "console", "--json", *store], input="/forget\n")
    with sqlite3.connect(db) as conn:  # /forget erased it, as on Telegram
        assert conn.execute("SELECT count(*) FROM sessions").fetchone() == (0,)


def test_forget_then_a_message_starts_over_as_on_telegram():
    out = io.StringIO()
    run_json(real_engine(), ["1", "5", "/forget", "/summary"], out, clock=lambda: 100.0)
    turns = [json.loads(line) for line in out.getvalue().splitlines()]
    assert turns[3]["state"] == "greeting"  # forgotten
    assert turns[4]["state"] == "greeting"  # nothing to summarise: the greeting again
    assert turns[4]["options"] == turns[0]["options"]


class FailsOnce(io.StringIO):
    """Output whose ``fail``-th write fails (a closed pipe), once."""

    def __init__(self, fail: int) -> None:
        super().__init__()
        self.writes = 0
        self.fail = fail

    def write(self, text: str) -> int:
        self.writes += 1
        if self.writes == self.fail:
            raise BrokenPipeError("the reader went away")
        return super().write(text)


def test_replies_that_could_not_be_shown_go_out_before_the_next_answer():
    clean = io.StringIO()
    run_json(real_engine(), ["1", "5"], clean, clock=lambda: 100.0)
    out = FailsOnce(fail=2)  # the answer to "1" is lost on the way out
    service = ChatService(real_engine(), MemorySessionStore())
    run_json(real_engine(), ["1", "5"], out, clock=lambda: 100.0, service=service)
    assert out.writes == 4
    # The outbox kept it: it goes out before the answer to "5", as on Telegram.
    assert out.getvalue() == clean.getvalue()

"""``hipbot understand``: for a person, as JSON, explained, and line by line from stdin."""

from __future__ import annotations

import json
import subprocess
import sys


def hipbot(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "understand", *args],
        input=stdin, capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip


def test_json_for_one_message():
    done = hipbot("--json", "no swelling but it clicks")
    data = json.loads(done.stdout)
    assert data["present"] == ["clicking_catching"] and data["absent"] == ["swelling"]


def test_plain_words_for_a_person():
    out = hipbot("my outer hip hurts, never any tingling").stdout
    assert out.startswith("You have: ")
    assert "You don't have: " in out and "tingling" in out


def test_explain_shows_normalisation_clauses_and_scores():
    out = hipbot("--explain", "No swelling, but it CLIKCS 😩").stdout
    assert "normalised: no swelling, but it clikcs" in out
    assert "clauses:" in out and "[0] no swelling" in out
    assert "swelling" in out and "absent" in out
    assert "clicking_catching" in out and "score  85" in out  # one typo corrected


def test_stdin_gives_one_json_object_per_line():
    lines = ["groin pain", "no fever", "what time is it", "maybe a bit swollen?"]
    out = hipbot(stdin="\n".join(lines) + "\n").stdout.splitlines()
    assert len(out) == len(lines)
    results = [json.loads(line) for line in out]
    assert results[0]["present"] == ["pain_front"]
    assert results[1]["absent"] == ["fever"]
    assert results[2] == {"present": [], "absent": [], "hedged": [], "age": None}
    assert results[3]["present"] == [] and results[3]["hedged"] == ["swelling"]

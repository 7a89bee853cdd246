"""Every YAML dialogue script in tests/dialogues/ replays without a difference."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.scripts import load_scripts, run_script, run_scripts
from tests.support.engine import real_engine

SCRIPTS = Path(__file__).parent / "dialogues"
CASES = [
    pytest.param(script, id=f"{path.stem}: {script.name}")
    for path in sorted(SCRIPTS.glob("*.yaml"))
    for script in load_scripts(path).scripts
]


@pytest.mark.parametrize("script", CASES)
def test_script(script):
    failures = run_script(real_engine(), script)
    assert not failures, "\n".join(str(f) for f in failures)


def test_scripts_cover_every_urgency_red_flag_and_cause():
    text = "".join(p.read_text() for p in SCRIPTS.glob("*.yaml"))
    engine = real_engine()
    for level in ("self_care", "see_professional", "urgent", "emergency"):
        assert f"urgency: {level}" in text
    for rule in engine.knowledge.red_flags:
        assert f"red flag {rule.id} " in text
    for cause in engine.knowledge.causes:
        assert cause in text
    for command in ("/back", "/restart", "Change an answer", "wait:", "still having trouble"):
        assert command in text


def test_a_failing_script_prints_a_clear_diff(tmp_path):
    script = tmp_path / "bad.yaml"
    script.write_text(
        "scripts:\n"
        "  - name: wrong expectation\n"
        "    steps:\n"
        '      - tap: "Let\'s start"\n'
        "        expect: {state: result, says: ['no such words']}\n"
    )
    out = io.StringIO()
    failures = run_scripts(real_engine(), [script], out)
    assert len(failures) == 1
    report = out.getvalue()
    assert "FAIL wrong expectation — step 1 (tap 'Let's start')" in report
    assert "state: expected 'result', got 'red_flag_screen'" in report
    assert "missing text: 'no such words'" in report
    assert "0 passed, 1 failed" in report


def test_hipbot_check_command_exit_codes(tmp_path):
    ok = subprocess.run(
        [sys.executable, "-m", "bot", "check"], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stdout[-2000:]
    assert ok.stdout.rstrip().endswith(f"{len(CASES)} passed, 0 failed")
    bad = tmp_path / "bad.yaml"
    bad.write_text("scripts:\n  - name: x\n    steps: []\n")
    failed = subprocess.run(
        [sys.executable, "-m", "bot", "check", str(bad)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1
    assert "bad.yaml: scripts[0].steps: " in failed.stderr
    assert "Traceback" not in failed.stderr

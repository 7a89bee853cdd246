"""Logs: one start-up line per command, the state machine quiet unless DEBUG, JSON lines."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.fakes.bot_api import FakeBotAPI
from tests.support.processes import assert_no_secrets, bot_env, bot_process, run_bot, wait_until

TOKEN = "123456:secret-token_abc"
SCRIPT = f"""
import logging, sys
from bot.config import setup_logging
setup_logging(sys.argv[1], secrets=[{TOKEN!r}], json_lines=sys.argv[2] == "json")
logging.getLogger("hipbot").info("started with {TOKEN}")
logging.getLogger("transitions.core").info("state changed")
try:
    raise ValueError("{TOKEN}")
except ValueError:
    logging.getLogger("hipbot").exception("failed")
"""


def logged(level: str, form: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, level, form], capture_output=True, text=True, check=True
    )
    return result.stderr


def test_the_state_machine_speaks_only_at_debug() -> None:
    assert "state changed" not in logged("INFO", "text")
    assert "state changed" in logged("DEBUG", "text")


def test_json_lines_carry_time_level_logger_and_message_without_secrets() -> None:
    output = logged("INFO", "json")
    lines = [json.loads(line) for line in output.splitlines()]
    assert [(line["level"], line["logger"]) for line in lines] == [
        ("INFO", "hipbot"), ("ERROR", "hipbot"),
    ]  # fmt: skip
    assert lines[0]["message"] == "started with ***"
    assert "ValueError: ***" in lines[1]["exception"]
    assert lines[0]["time"].endswith("+00:00")
    assert_no_secrets(output, TOKEN)


def test_polling_logs_one_start_up_line(fake_bot_api_thread: FakeBotAPI, tmp_path: Path) -> None:
    api = fake_bot_api_thread
    env = bot_env(api, STORE_URL="memory://", LOG_LEVEL="INFO", LOG_FORMAT="json")
    with bot_process(["polling"], env, tmp_path, "startup") as process:
        wait_until(lambda: "polling" in process.log, "the start-up line")
        api.wait_for_sync(method="getUpdates", timeout=20)
    lines = [json.loads(line) for line in process.log.splitlines() if line.startswith("{")]
    [started] = [line["message"] for line in lines if line["logger"] == "hipbot"]
    assert started.startswith("hipbot ") and " polling: knowledge " in started
    assert "store memory://" in started and started.endswith("long polling")
    assert_no_secrets(process.log, api.token)


def test_a_one_off_command_logs_its_start_too(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path
) -> None:
    env = bot_env(fake_bot_api_thread, LOG_LEVEL="INFO")
    result = run_bot(["delete-webhook"], env, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "delete-webhook: removing the webhook" in result.stderr
    assert_no_secrets(result.stderr, fake_bot_api_thread.token)


def test_an_unknown_log_format_is_a_configuration_error(
    fake_bot_api_thread: FakeBotAPI, tmp_path: Path
) -> None:
    env = bot_env(fake_bot_api_thread, LOG_FORMAT="xml")
    result = run_bot(["delete-webhook"], env, tmp_path)
    assert result.returncode == 2
    assert "LOG_FORMAT must be one of text, json" in result.stderr

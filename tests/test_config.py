"""Settings from the environment and .env, and how a bad configuration is reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings

TOKEN = "123456789:AAsecret-token_value-0123456789"
SECRET = "webhook-Secret_42"


def test_from_env_reads_every_variable() -> None:
    settings = Settings.from_env(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": "http://127.0.0.1:8081/bot",
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_HOST": "0.0.0.0",
            "WEBHOOK_PORT": "8443",
            "WEBHOOK_PATH": "/hook",
            "WEBHOOK_URL": "https://bot.example.org/",
            "WEBHOOK_MAX_CONNECTIONS": "10",
            "STORE_URL": "memory://",
            "LOG_LEVEL": "debug",
            "SESSION_IDLE_DAYS": "1.5",
            "UNRELATED": "ignored",
        }
    )
    assert settings.token == TOKEN
    assert settings.secret == SECRET
    assert settings.telegram_api_base_url == "http://127.0.0.1:8081/bot"
    assert settings.webhook_host == "0.0.0.0"
    assert settings.webhook_port == 8443
    assert settings.webhook_path == "/hook"
    assert settings.public_webhook_url == "https://bot.example.org/hook"
    assert settings.webhook_max_connections == 10
    assert settings.store_url == "memory://"
    assert settings.log_level == "DEBUG"
    assert settings.session_idle_seconds == 1.5 * 86_400


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings == Settings()
    assert settings.telegram_bot_token is None
    assert settings.telegram_api_base_url is None
    assert settings.webhook_secret is None
    assert (settings.webhook_host, settings.webhook_port) == ("127.0.0.1", 8080)
    assert settings.webhook_path == "/telegram"
    assert settings.webhook_max_connections == 40
    assert settings.store_url == "sqlite:///hipbot.db"
    assert settings.log_level == "INFO"
    assert settings.session_idle_days == 30


def test_dotenv_fills_in_and_the_environment_wins(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text(
        "# deployment settings\n"
        "\n"
        f"export TELEGRAM_BOT_TOKEN='{TOKEN}'\n"
        f'WEBHOOK_SECRET="{SECRET}"\n'
        "WEBHOOK_PORT = 9000\n"
        "STORE_URL=memory://\n"
        "LOG_LEVEL=WARNING\n"
        "not a setting line\n",
        encoding="utf-8",
    )
    settings = Settings.from_env({"WEBHOOK_PORT": "9100", "LOG_LEVEL": ""}, dotenv=dotenv)
    assert settings.token == TOKEN
    assert settings.secret == SECRET
    assert settings.webhook_port == 9100  # the environment wins
    assert settings.log_level == "WARNING"  # an empty variable counts as unset
    assert settings.store_url == "memory://"


def test_a_missing_dotenv_file_is_fine(tmp_path: Path) -> None:
    assert Settings.from_env({}, dotenv=tmp_path / "absent.env") == Settings()


def test_an_empty_value_in_dotenv_counts_as_unset(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_text("TELEGRAM_BOT_TOKEN=\nWEBHOOK_SECRET=\n", encoding="utf-8")
    settings = Settings.from_env({}, dotenv=dotenv)
    assert settings.telegram_bot_token is None
    assert settings.webhook_secret is None


def test_an_unreadable_dotenv_is_a_config_error(tmp_path: Path) -> None:
    dotenv = tmp_path / ".env"
    dotenv.write_bytes(b"TELEGRAM_BOT_TOKEN=\xff\xfe\n")
    with pytest.raises(ConfigError, match=r"\.env"):
        Settings.from_env({}, dotenv=dotenv)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("TELEGRAM_BOT_TOKEN", "not-a-token"),
        ("TELEGRAM_BOT_TOKEN", TOKEN + "\n"),
        ("TELEGRAM_BOT_TOKEN", "123:abc def"),
        ("WEBHOOK_SECRET", "has spaces"),
        ("WEBHOOK_SECRET", "x" * 257),
        ("WEBHOOK_SECRET", SECRET + "\n"),
        ("TELEGRAM_API_BASE_URL", "bot-api.example.org/bot"),
        ("WEBHOOK_URL", "http://bot.example.org"),
        ("WEBHOOK_PATH", "telegram"),
        ("WEBHOOK_PORT", "eighty"),
        ("WEBHOOK_PORT", "70000"),
        ("WEBHOOK_PORT", "-1"),
        ("WEBHOOK_MAX_CONNECTIONS", "lots"),
        ("WEBHOOK_MAX_CONNECTIONS", "0"),
        ("WEBHOOK_MAX_CONNECTIONS", "101"),
        ("SESSION_IDLE_DAYS", "a month"),
        ("SESSION_IDLE_DAYS", "0"),
        ("SESSION_IDLE_DAYS", "-3"),
        ("SESSION_IDLE_DAYS", "nan"),
        ("SESSION_IDLE_DAYS", "inf"),
        ("SESSION_IDLE_DAYS", "1e13"),  # accepted once, then every save failed in Redis
        ("SESSION_IDLE_DAYS", "3651"),
        ("TELEGRAM_MAX_MESSAGES_PER_SECOND", "-1"),
        ("TELEGRAM_MAX_MESSAGES_PER_SECOND", "1e9"),
        ("LOG_LEVEL", "LOUD"),
        ("STORE_URL", "postgres://db/hipbot"),
        ("STORE_URL", "redis://127.0.0.1:notaport/0"),
    ],
)
def test_a_malformed_variable_is_named(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({name: value})
    message = str(caught.value)
    assert name in message
    if "SECRET" in name or "TOKEN" in name:
        assert value.strip() not in message  # a near-miss secret is not echoed either


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"WEBHOOK_PORT": "x", "LOG_LEVEL": "LOUD", "WEBHOOK_PATH": "hook"})
    message = str(caught.value)
    for name in ("WEBHOOK_PORT", "LOG_LEVEL", "WEBHOOK_PATH"):
        assert name in message


def test_a_store_url_password_is_not_echoed() -> None:
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"STORE_URL": "redis://:hunter2@127.0.0.1:notaport/0"})
    assert "hunter2" not in str(caught.value)


def test_a_missing_token_says_which_variable_to_set() -> None:
    settings = Settings.from_env({})
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        _ = settings.token
    with pytest.raises(ConfigError, match="WEBHOOK_SECRET"):
        _ = settings.secret
    with pytest.raises(ConfigError, match="WEBHOOK_URL"):
        _ = settings.public_webhook_url


def test_repr_and_str_never_show_the_token_or_the_secret() -> None:
    settings = Settings.from_env(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "WEBHOOK_SECRET": SECRET, "STORE_URL": "memory://"}
    )
    for text in (repr(settings), str(settings), f"{settings}", f"{settings!r}", repr([settings])):
        assert TOKEN not in text
        assert TOKEN.split(":")[1] not in text
        assert SECRET not in text
        assert "telegram_bot_token='***'" in text
        assert "webhook_secret='***'" in text
        assert "store_url='memory://'" in text
    assert "telegram_bot_token=None" in repr(Settings())


def _clean_env(**extra: str) -> dict[str, str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "PYTHONUNBUFFERED": "1"}
    return {**env, **extra}


def _run_bot(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``python -m bot COMMAND`` in ``cwd`` with nothing but PATH in the environment."""
    return subprocess.run(
        [sys.executable, "-m", "bot", command],
        cwd=cwd, env=_clean_env(), capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip


def test_polling_without_a_token_exits_2_naming_the_variable(tmp_path: Path) -> None:
    result = _run_bot("polling", tmp_path)
    assert result.returncode == 2, result.stderr
    assert "TELEGRAM_BOT_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not list(tmp_path.iterdir())  # nothing created (no database file)


def test_a_malformed_dotenv_variable_exits_2_naming_it(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"TELEGRAM_BOT_TOKEN={TOKEN}\nWEBHOOK_PORT=eighty\n")
    result = _run_bot("webhook", tmp_path)
    assert result.returncode == 2, result.stderr
    assert "WEBHOOK_PORT" in result.stderr
    assert "Traceback" not in result.stderr
    assert TOKEN not in result.stderr

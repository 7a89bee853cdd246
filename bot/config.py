"""Settings read once, at start, from the environment and an optional ``.env`` file.

Names are a public contract for deployments. Secrets are masked in ``repr`` and never logged.
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from bot.store import check_url

TOKEN_PATTERN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
SECRET_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SECONDS_PER_DAY = 86_400
MAX_PORT = 65_535
MAX_WEBHOOK_CONNECTIONS = 100
MAX_IDLE_DAYS = 3650
"""Ten years: longer is no retention policy, and Redis refuses expiry times past 2^63 ms."""
MAX_MESSAGES_PER_SECOND = 1000
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FORMATS = ("text", "json")


class ConfigError(Exception):
    """The configuration is incomplete or invalid; the message says which variable to set."""


def _masked(secret: str | None) -> str:
    return "None" if secret is None else "'***'"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the Telegram and webhook channels need; build with :meth:`from_env`."""

    telegram_bot_token: str | None = field(default=None, repr=False)
    telegram_api_base_url: str | None = None
    webhook_secret: str | None = field(default=None, repr=False)
    webhook_host: str = "127.0.0.1"
    webhook_port: int = 8080
    webhook_path: str = "/telegram"
    webhook_url: str | None = None
    webhook_max_connections: int = 40
    store_url: str = "sqlite:///hipbot.db"
    log_level: str = "INFO"
    log_format: str = "text"
    session_idle_days: float = 30.0
    telegram_max_messages_per_second: float = 30.0
    checkin_day_seconds: float = SECONDS_PER_DAY
    """How long a check-in "day" is: 86400, or a few seconds in process tests."""
    checkin_lease_seconds: float = 120.0
    """How long a claimed check-in is hidden from other processes before it is sent again."""

    def __repr__(self) -> str:
        shown = []
        for f in fields(self):
            value = getattr(self, f.name)
            secret = f.name in ("telegram_bot_token", "webhook_secret")
            shown.append(f"{f.name}={_masked(value) if secret else repr(value)}")
        return f"Settings({', '.join(shown)})"

    __str__ = __repr__

    @property
    def session_idle_seconds(self) -> float:
        """How long an idle conversation is kept, in seconds."""
        return self.session_idle_days * SECONDS_PER_DAY

    @property
    def token(self) -> str:
        """The bot token; raises :class:`ConfigError` naming the variable when it is missing."""
        if not self.telegram_bot_token:
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in "
                "the environment or in .env (see .env.example)"
            )
        return self.telegram_bot_token

    @property
    def secret(self) -> str:
        """The webhook secret; raises :class:`ConfigError` when it is missing."""
        if not self.webhook_secret:
            raise ConfigError(
                "WEBHOOK_SECRET is not set: choose 1-256 characters of A-Z, a-z, 0-9, _ and - "
                "(Telegram sends it back in every webhook request)"
            )
        return self.webhook_secret

    @property
    def public_webhook_url(self) -> str:
        """``WEBHOOK_URL`` + ``WEBHOOK_PATH``, for ``set-webhook``."""
        if not self.webhook_url:
            raise ConfigError("WEBHOOK_URL is not set: the public https address of this bot")
        return self.webhook_url.rstrip("/") + self.webhook_path

    @classmethod
    def from_env(cls, environ: Mapping[str, str], *, dotenv: Path | None = None) -> Settings:
        """Read settings from ``environ``, falling back to a ``.env`` file for unset names.

        Raises:
            ConfigError: a value is malformed; the message names the variable.
        """
        values = read_dotenv(dotenv) if dotenv is not None and dotenv.is_file() else {}
        values = {name: value for name, value in values.items() if value != ""}
        values.update({name: value for name, value in environ.items() if value != ""})
        problems: list[str] = []
        token = values.get("TELEGRAM_BOT_TOKEN")
        if token is not None and not TOKEN_PATTERN.fullmatch(token):
            problems.append("TELEGRAM_BOT_TOKEN does not look like a bot token ('123456:ABC-...')")
        secret = values.get("WEBHOOK_SECRET")
        if secret is not None and not SECRET_PATTERN.fullmatch(secret):
            problems.append("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        base_url = values.get("TELEGRAM_API_BASE_URL")
        if base_url is not None and not base_url.startswith(("http://", "https://")):
            problems.append("TELEGRAM_API_BASE_URL must start with http:// or https://")
        webhook_url = values.get("WEBHOOK_URL")
        if webhook_url is not None and not webhook_url.startswith("https://"):
            problems.append("WEBHOOK_URL must be a public https:// address")
        path = values.get("WEBHOOK_PATH", "/telegram")
        if not path.startswith("/"):
            problems.append("WEBHOOK_PATH must start with /")
        port = _number(values, "WEBHOOK_PORT", "8080", problems, int)
        if not 0 <= port <= MAX_PORT:
            problems.append("WEBHOOK_PORT must be a port number from 0 to 65535")
        connections = _number(values, "WEBHOOK_MAX_CONNECTIONS", "40", problems, int)
        if not 1 <= connections <= MAX_WEBHOOK_CONNECTIONS:
            problems.append(f"WEBHOOK_MAX_CONNECTIONS must be from 1 to {MAX_WEBHOOK_CONNECTIONS}")
        idle_days = _number(values, "SESSION_IDLE_DAYS", "30", problems, float)
        if not (math.isfinite(idle_days) and 0 < idle_days <= MAX_IDLE_DAYS):
            problems.append(
                f"SESSION_IDLE_DAYS must be a number of days above 0 and at most {MAX_IDLE_DAYS}"
            )
        rate = _number(values, "TELEGRAM_MAX_MESSAGES_PER_SECOND", "30", problems, float)
        if not (math.isfinite(rate) and 0 <= rate <= MAX_MESSAGES_PER_SECOND):
            problems.append(
                "TELEGRAM_MAX_MESSAGES_PER_SECOND must be 0 (no cap) or up to "
                f"{MAX_MESSAGES_PER_SECOND} (Telegram allows about 30)"
            )
        day = _number(values, "CHECKIN_DAY_SECONDS", str(SECONDS_PER_DAY), problems, float)
        lease = _number(values, "CHECKIN_LEASE_SECONDS", "120", problems, float)
        if not (math.isfinite(day) and 1 <= day <= SECONDS_PER_DAY):
            problems.append(f"CHECKIN_DAY_SECONDS must be from 1 to {SECONDS_PER_DAY}")
        if not (math.isfinite(lease) and 1 <= lease <= SECONDS_PER_DAY):
            problems.append(f"CHECKIN_LEASE_SECONDS must be from 1 to {SECONDS_PER_DAY}")
        level = values.get("LOG_LEVEL", "INFO").upper()
        if level not in LEVELS:
            problems.append(f"LOG_LEVEL must be one of {', '.join(LEVELS)}")
        log_format = values.get("LOG_FORMAT", "text").lower()
        if log_format not in LOG_FORMATS:
            problems.append(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
        store_url = values.get("STORE_URL", "sqlite:///hipbot.db")
        try:
            check_url(store_url)
        except ValueError as error:
            problems.append(f"STORE_URL: {error}")
        if problems:
            raise ConfigError("; ".join(problems))
        return cls(
            telegram_bot_token=token,
            telegram_api_base_url=base_url,
            webhook_secret=secret,
            webhook_host=values.get("WEBHOOK_HOST", "127.0.0.1"),
            webhook_port=port,
            webhook_path=path,
            webhook_url=webhook_url,
            webhook_max_connections=connections,
            store_url=store_url,
            log_level=level,
            log_format=log_format,
            session_idle_days=idle_days,
            telegram_max_messages_per_second=rate,
            checkin_day_seconds=day,
            checkin_lease_seconds=lease,
        )


Number = TypeVar("Number", int, float)


def _number(
    values: Mapping[str, str], name: str, default: str, problems: list[str], kind: type[Number]
) -> Number:
    raw = values.get(name, default)
    try:
        return kind(raw)
    except ValueError:
        problems.append(f"{name} must be a number, got {raw!r}")
        return kind(default)


def read_dotenv(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a ``.env`` file; ``#`` comments and blank lines are skipped.

    Raises:
        ConfigError: the file cannot be read as UTF-8 text.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path} cannot be read: {type(error).__name__}") from None
    result = {}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#") or "=" not in stripped:
            continue
        name, _, value = stripped.partition("=")
        name = name.removeprefix("export ").strip()
        value = value.strip()
        if len(value) > 1 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        result[name] = value
    return result


def setup_logging(
    level: str, *, secrets: Iterable[str | None] = (), json_lines: bool = False
) -> None:
    """Log to stderr at ``level``, as text or one JSON object a line (for log shippers).

    Libraries whose DEBUG/INFO lines would carry the token or message text are held at
    WARNING, and any of ``secrets`` left in a line is masked. The dialogue's state machine
    (``transitions``, two lines a turn) speaks only at DEBUG."""
    kept = [s for s in secrets if s]
    handler = logging.StreamHandler()
    handler.setFormatter(
        _JsonFormatter(kept) if json_lines else _MaskingFormatter(LOG_FORMAT, kept)
    )
    logging.basicConfig(level=getattr(logging, level, logging.INFO), handlers=[handler])
    for noisy in ("httpx", "httpcore", "telegram", "telegram.ext", "uvicorn.access"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
    machine = (
        logging.DEBUG if level == "DEBUG" else max(logging.WARNING, logging.getLogger().level)
    )
    logging.getLogger("transitions").setLevel(machine)
    for name in ("telegram.ext", "telegram.ext.Updater"):
        logging.getLogger(name).addFilter(_BRIEF_NETWORK_LOOP_FAILURES)


class _BriefNetworkLoopFailures(logging.Filter):
    """PTB logs a network loop that gave up (Telegram unreachable at start-up, the token
    rejected) or a last ``getUpdates`` that failed at stop (the store down, see
    :mod:`bot.channels.inbox`) with a traceback; the bot reports the failure itself in a clear
    line, so the record keeps only the exception's class."""

    def filter(self, record: logging.LogRecord) -> bool:
        polling = record.pathname.endswith(("networkloop.py", "_updater.py"))
        if record.exc_info and record.exc_info[0] and polling:
            record.msg = f"{record.msg} ({record.exc_info[0].__name__})"
            record.exc_info = None
        return True


_BRIEF_NETWORK_LOOP_FAILURES = _BriefNetworkLoopFailures()


class _MaskingFormatter(logging.Formatter):
    def __init__(self, fmt: str, secrets: list[str]) -> None:
        super().__init__(fmt)
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return self._mask(super().format(record))

    def _mask(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


class _JsonFormatter(_MaskingFormatter):
    """One JSON object a line: time (UTC), level, logger, message and any exception."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__("%(message)s", secrets)

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._mask(record.getMessage()),
        }
        if record.exc_info:
            line["exception"] = self._mask(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)

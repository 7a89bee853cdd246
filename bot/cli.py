"""The ``hipbot`` command: one entry point with a subcommand per job."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from functools import partial
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from bot.app import load_engine, validate
from bot.channels.failure import TelegramFailure, telegram_failure
from bot.channels.registry import CHANNELS
from bot.config import ConfigError, Settings
from bot.pictures import Pictures
from bot.problems import DataError

if TYPE_CHECKING:
    import uvicorn


EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2

logger = logging.getLogger("hipbot")


def package_version() -> str:
    """The installed hipbot version."""
    try:
        return version("hipbot")
    except PackageNotFoundError:
        return "unknown"


def _print_problems(error: DataError) -> int:
    for problem in error.problems:
        print(problem, file=sys.stderr)
    print(f"{len(error.problems)} problem(s) found.", file=sys.stderr)
    return EXIT_PROBLEMS


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every knowledge and dialogue file."""
    problems = validate(args.dir)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return EXIT_PROBLEMS
    engine = load_engine(args.dir)
    knowledge = engine.knowledge
    print(
        f"OK: knowledge {knowledge.version} — {len(knowledge.findings)} findings, "
        f"{len(knowledge.causes)} causes, {len(knowledge.exercises)} exercises, "
        f"{len(knowledge.red_flags)} red-flag rules; dialogue with "
        f"{len(engine.dialogue.states)} states."
    )
    return EXIT_OK


def cmd_understand(args: argparse.Namespace) -> int:
    """Show what hipbot reads in a message."""
    from bot.understanding import understand
    from bot.understanding.explain import as_json, describe, explain

    engine = load_engine(args.data)
    lexicon, knowledge = engine.lexicon, engine.knowledge
    if args.text:
        heard = understand(" ".join(args.text), lexicon)
        if args.explain:
            print(explain(heard))
        elif args.json:
            print(json.dumps(as_json(heard), ensure_ascii=False))
        else:
            print(describe(heard, knowledge))
        return EXIT_OK
    interactive = sys.stdin.isatty() and not args.json
    if interactive:
        print("Type a message (Ctrl-D to quit).", file=sys.stderr)
    for line in sys.stdin:
        heard = understand(line, lexicon)
        if args.explain:
            print(explain(heard))
        elif interactive:
            print(describe(heard, knowledge))
        else:
            print(json.dumps(as_json(heard), ensure_ascii=False), flush=True)
    return EXIT_OK


def cmd_learn(args: argparse.Namespace) -> int:
    """Fit the learned second reading on labelled sets and write it into knowledge/."""
    from bot import paths
    from bot.knowledge import load_knowledge
    from bot.learn import fit, read_sets, write

    try:
        import sklearn  # type: ignore[import-untyped]  # noqa: F401
    except ImportError:
        print("hipbot learn needs scikit-learn: pip install -e '.[dev]'", file=sys.stderr)
        return EXIT_USAGE
    knowledge_dir = args.out or paths.knowledge_dir()
    sets = args.sets or sorted(Path("tests/data").glob("utterances*.yaml"))
    if not sets:
        print("no labelled sets given (and none in tests/data)", file=sys.stderr)
        return EXIT_USAGE
    try:
        messages = read_sets(sets)
        knowledge = load_knowledge(knowledge_dir)
    except DataError as error:
        return _print_problems(error)
    switch_off = {f for rule in knowledge.red_flags for f in rule.none_of}
    path = write(fit(messages, sorted(knowledge.findings), switch_off), knowledge_dir)
    print(f"{path}: fitted on {len(messages)} messages from {len(sets)} sets")
    return EXIT_OK


def cmd_console(args: argparse.Namespace) -> int:
    """Chat with the bot in the terminal."""
    from bot.channels.console import console_service, run_interactive, run_json

    engine = load_engine(args.data)
    try:
        service = console_service(engine, args.store)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    if args.json or not sys.stdin.isatty():
        run_json(engine, sys.stdin, sys.stdout, service=service)
    else:
        pictures = Pictures(engine.knowledge.exercises)
        run_interactive(engine, input, sys.stdout, pictures, service=service)
    return EXIT_OK


def cmd_channel(module: ModuleType, args: argparse.Namespace) -> int:
    """Run a channel of :data:`bot.channels.registry.CHANNELS` over its own store."""
    from bot.channels.console import console_service

    engine = load_engine(args.data)
    try:
        service = console_service(engine, args.store)
        code: int = module.run(args, service)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    return code


def cmd_pictures(args: argparse.Namespace) -> int:
    """Draw every exercise's picture (where not drawn yet) and print where it is."""
    engine = load_engine(args.data)
    pictures = Pictures(engine.knowledge.exercises, args.out)
    drawn = pictures.draw_all()
    for path in drawn:
        print(path)
    return EXIT_OK if len(drawn) == len(engine.knowledge.exercises) else EXIT_PROBLEMS


def cmd_check(args: argparse.Namespace) -> int:
    """Replay dialogue test scripts."""
    from bot.scripts import default_script_paths, run_scripts

    engine = load_engine(args.data)
    paths = args.paths or default_script_paths()
    failures = run_scripts(engine, paths, sys.stdout)
    return EXIT_PROBLEMS if failures else EXIT_OK


def cmd_diagram(args: argparse.Namespace) -> int:
    """Print the dialogue as a Mermaid state diagram."""
    from bot.diagram import mermaid

    print(mermaid(load_engine(args.data).dialogue), end="")
    return EXIT_OK


def _settings(args: argparse.Namespace) -> Settings:
    from bot.config import setup_logging

    os.environ.setdefault("PTB_TIMEDELTA", "true")
    settings = Settings.from_env(os.environ, dotenv=Path(".env"))
    setup_logging(
        settings.log_level,
        secrets=(settings.telegram_bot_token, settings.webhook_secret),
        json_lines=settings.log_format == "json",
    )
    return settings


def _started(command: str, mode: str, settings: Settings, knowledge: str | None = None) -> None:
    """The one line a command logs as it starts (never the token or the store's password)."""
    from bot.store import redact

    about = f"knowledge {knowledge}, store {redact(settings.store_url)}, " if knowledge else ""
    logger.info("hipbot %s %s: %s%s", package_version(), command, about, mode)


def cmd_polling(args: argparse.Namespace) -> int:
    """Run the Telegram bot with long polling."""
    from telegram.error import TelegramError

    from bot.channels.telegram import ALLOWED_UPDATES, TelegramChannel
    from bot.runtime import build_application, build_service, settle_garbage_collector

    settings = _settings(args)
    settings.token  # noqa: B018 - fail early with a clear message
    service = build_service(settings, data=args.data)
    application = build_application(settings, TelegramChannel(service), with_updater=True)
    _started("polling", "long polling", settings, service.engine.knowledge.version)
    settle_garbage_collector()
    try:
        application.run_polling(allowed_updates=list(ALLOWED_UPDATES))
    except TelegramError as error:
        raise telegram_failure(error, "start polling") from None
    return EXIT_OK


def cmd_webhook(args: argparse.Namespace) -> int:
    """Serve the webhook endpoint (run set-webhook once at deploy time)."""
    from bot.channels.serve import server_config
    from bot.channels.telegram import TelegramChannel
    from bot.channels.webhook import create_app
    from bot.runtime import build_application, build_service, settle_garbage_collector

    settings = _settings(args)
    settings.token  # noqa: B018
    settings.secret  # noqa: B018
    service = build_service(settings, data=args.data)
    channel = TelegramChannel(service)
    application = build_application(settings, channel, with_updater=False)
    app = create_app(settings, channel, application, service.store)
    where = f"webhook on {settings.webhook_host}:{settings.webhook_port}{settings.webhook_path}"
    _started("webhook", where, settings, service.engine.knowledge.version)
    server = _graceful_server(server_config(app, settings))
    settle_garbage_collector()
    try:
        server.run()
    except SystemExit:  # uvicorn exits when start-up fails (port taken, lifespan failed)
        server.started = False
    if not server.started:
        print("The webhook server did not start (see the log above).", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


def _graceful_server(config: uvicorn.Config) -> uvicorn.Server:
    """A uvicorn server that, once a SIGTERM or SIGINT has stopped it gracefully (no new
    connections, requests in flight answered, the app shut down), lets the process exit with
    status 0 instead of raising the signal again as uvicorn does."""
    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            with super().capture_signals():
                try:
                    yield
                finally:
                    self._captured_signals.clear()

    return Server(config)


def cmd_set_webhook(args: argparse.Namespace) -> int:
    """Register the webhook URL, secret, allowed updates and the commands menu."""
    from bot.channels.setup import set_webhook

    settings = _settings(args)
    settings.token  # noqa: B018 - report what is missing in a sensible order
    settings.public_webhook_url  # noqa: B018
    _started("set-webhook", f"registering {settings.public_webhook_url}", settings)
    print(asyncio.run(set_webhook(settings)))
    return EXIT_OK


def cmd_delete_webhook(args: argparse.Namespace) -> int:
    """Remove the webhook (for example before switching to polling)."""
    from bot.channels.setup import delete_webhook

    settings = _settings(args)
    _started("delete-webhook", "removing the webhook", settings)
    print(asyncio.run(delete_webhook(settings)))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = argparse.ArgumentParser(
        prog="hipbot",
        description="A chatbot for runners with hip pain after running.",
    )
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="project folder holding knowledge/ and dialogues/ (default: the shipped data)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check the knowledge and dialogue YAML files")
    p.add_argument("dir", nargs="?", type=Path, default=None, help="project or knowledge folder")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("understand", help="show the findings read from a message")
    p.add_argument("text", nargs="*", help="the message (default: read lines from stdin)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--json", action="store_true", help='print {"present": [...], "absent": [...]}'
    )
    mode.add_argument(
        "--explain", action="store_true", help="show normalisation, negation, scores"
    )
    p.set_defaults(func=cmd_understand)

    p = sub.add_parser("learn", help="fit the learned reading on labelled message sets")
    p.add_argument("sets", nargs="*", type=Path, help="YAML sets (default: tests/data)")
    p.add_argument("--out", type=Path, default=None, help="knowledge folder to write into")
    p.set_defaults(func=cmd_learn)

    p = sub.add_parser("console", help="chat with the bot in the terminal (no token needed)")
    p.add_argument("--json", action="store_true", help="one JSON line per input line")
    p.add_argument(
        "--store", default="memory://", metavar="URL",
        help="keep the conversation in this store, e.g. sqlite:///console.db (default: memory)",
    )  # fmt: skip
    p.set_defaults(func=cmd_console)

    p = sub.add_parser("pictures", help="draw the exercise pictures and print their paths")
    p.add_argument("--out", type=Path, default=None, help="folder (default: the user's cache)")
    p.set_defaults(func=cmd_pictures)

    p = sub.add_parser("check", help="replay dialogue test scripts")
    p.add_argument("paths", nargs="*", type=Path, help="script files or folders")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("diagram", help="print the dialogue as a Mermaid state diagram")
    p.set_defaults(func=cmd_diagram)

    for registration in CHANNELS:
        module = importlib.import_module(registration.module)
        p = sub.add_parser(registration.command, help=registration.help)
        module.add_arguments(p)
        p.set_defaults(func=partial(cmd_channel, module))

    p = sub.add_parser("polling", help="run the Telegram bot with long polling")
    p.set_defaults(func=cmd_polling)
    p = sub.add_parser("webhook", help="serve the Telegram webhook (ASGI, uvicorn)")
    p.set_defaults(func=cmd_webhook)
    p = sub.add_parser("set-webhook", help="register WEBHOOK_URL with Telegram (once per deploy)")
    p.set_defaults(func=cmd_set_webhook)
    p = sub.add_parser("delete-webhook", help="remove the webhook registration")
    p.set_defaults(func=cmd_delete_webhook)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``hipbot`` command line; returns the exit code."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except DataError as error:
        return _print_problems(error)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except TelegramFailure as error:
        print(f"Telegram error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return EXIT_OK
    except BrokenPipeError:  # the reader went away (e.g. `| head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return code

"""A Telegram-like HTML page of the end of one consultation per urgency level, to look at.

    python -m tests.tools.phone_mock OUT_DIR [--screenshot]

Each page shows the messages the Telegram channel sends (its own packing, HTML and keyboards)
from the review to the result and the summary, styled like a phone's chat; an expandable quote
is shown collapsed, as Telegram first shows it. With ``--screenshot``, headless Chromium saves a
PNG of each page at phone width next to it.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
from pathlib import Path

from bot.channels.telegram import keyboard, outgoing
from bot.dialogue import Incoming, Turn
from bot.dialogue.markup import visible_length
from bot.pictures import Pictures
from bot.scripts import incoming_for
from tests.support.engine import real_engine
from tests.support.phone import CONSULTATIONS, scripts

OPENING = ("greeting", "red_flag_screen", "describe", "location", "age", "duration", "signs")
STYLE = """
body { margin: 0; background: #8fb58c; font: 15px/1.35 Roboto, 'DejaVu Sans', sans-serif,
  'Noto Color Emoji'; }
.chat { width: 400px; margin: 0 auto; padding: 8px 6px; }
.msg { background: #fff; border-radius: 12px; padding: 7px 10px; margin: 6px 40px 2px 0;
  white-space: pre-wrap; word-wrap: break-word; box-shadow: 0 1px 1px #0002; }
.me { background: #e2ffc7; margin: 6px 0 2px 60px; }
.len { color: #8a8a8a; font-size: 11px; text-align: right; }
blockquote { margin: 4px 0; padding: 2px 8px; border-left: 3px solid #3a8fd6;
  background: #eaf3fb; border-radius: 4px; white-space: pre-wrap; }
blockquote[expandable] { max-height: 4.05em; overflow: hidden; position: relative; }
blockquote[expandable]::after { content: '⌄'; position: absolute; right: 6px; bottom: 0;
  color: #3a8fd6; background: #eaf3fb; }
a { color: #2a7bc0; }
.msg img { display: block; width: calc(100% + 20px); margin: -7px -10px 6px; border-radius: 12px 12px 0 0; }
.kb { display: grid; gap: 3px; margin: 3px 40px 0 0; }
.kb .row { display: flex; gap: 3px; }
.kb .btn { flex: 1; background: #0005; color: #fff; text-align: center; border-radius: 8px;
  padding: 7px 4px; font-size: 14px; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }
"""


def _bot(turn: Turn, pictures: Pictures) -> tuple[str, str]:
    """A turn's messages, and its keyboard, as HTML."""
    messages = outgoing(turn.replies)
    markup = keyboard(turn.options, turn.session.step)
    parts, buttons = [], ""
    for message in messages:
        shown = message.text.replace("</blockquote>\n", "</blockquote>")  # as Telegram shows it
        path = pictures.path(message.picture) if message.picture else None
        image = f'<img src="{path.as_uri()}">' if path else ""
        length = visible_length(message.text)
        parts.append(f'<div class="msg">{image}{shown}<div class="len">{length} chars</div></div>')
    if markup is not None:
        rows = "".join(
            '<div class="row">'
            + "".join(f'<div class="btn">{html.escape(b.text)}</div>' for b in row)
            + "</div>"
            for row in markup.inline_keyboard
        )
        buttons = f'<div class="kb">{rows}</div>'
    return "\n".join(parts), buttons


def page(name: str, pictures: Pictures, states: tuple[str, ...]) -> str:
    """The HTML page of script ``name``: the turns that end in one of ``states`` (with the
    question before the first), then /summary and /exercises if it reaches the result.
    As in Telegram, only the newest keyboard is shown: an answered question loses its own."""
    engine = real_engine()
    [script] = [s for s in scripts() if s.name == name]
    turn = engine.start(at=1_000_000.0)
    shown: list[str] = []
    buttons = ""

    def show(turn: Turn) -> None:
        nonlocal buttons
        messages, buttons = _bot(turn, pictures)
        shown.append(messages)

    if "greeting" in states:
        show(turn)
    for step in script.steps:
        if step.user is None and step.tap is None:
            continue
        incoming, action = incoming_for(step, turn, turn.session.updated_at + 1)
        asked = turn
        turn = engine.step(turn.session, incoming)
        if turn.session.state in states:
            if not shown:
                show(asked)
            shown.append(f'<div class="msg me">{html.escape(step.user or action)}</div>')
            show(turn)
    if "result" in states:
        for command in ("/summary", "/exercises"):
            turn = engine.step(
                turn.session, Incoming(text=command, at=turn.session.updated_at + 1)
            )
            shown.append(f'<div class="msg me">{command}</div>')
            show(turn)
    body = "\n".join([*shown, buttons])
    return (
        f"<!doctype html><meta charset='utf-8'><title>{html.escape(name)}</title>"
        f"<style>{STYLE}</style><div class='chat'>{body}</div>"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--screenshot", action="store_true")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    pictures = Pictures(real_engine().knowledge.exercises, args.out / "pictures")
    pages = {
        urgency: page(name, pictures, ("review", "result"))
        for urgency, name in CONSULTATIONS.items()
    }
    pages["opening"] = page(CONSULTATIONS["self_care"], pictures, OPENING)
    for urgency, text in pages.items():
        path = args.out / f"{urgency}.html"
        path.write_text(text, encoding="utf-8")
        print(path)
        if args.screenshot and browser:
            png = path.with_suffix(".png")
            subprocess.run(
                [browser, "--headless", "--no-sandbox", "--hide-scrollbars",
                 f"--screenshot={png}", "--window-size=420,5200", path.as_uri()],
                check=True, capture_output=True,
            )  # fmt: skip
            print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())

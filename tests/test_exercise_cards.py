"""Exercise cards: one message each, a picture with the steps, dose, cues, when to stop and a
link, drawn once and sent by file_id after the first upload."""

from __future__ import annotations

import io
import logging
import struct
import subprocess
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot import pictures as pictures_module
from bot.channels.console import run_interactive
from bot.dialogue.markup import problems, visible_length
from bot.dialogue.render import CAPTION_LIMIT
from bot.pictures import Pictures
from tests.fakes.bot_api import FakeBotAPI
from tests.support.engine import real_engine
from tests.support.polling import running_bot
from tests.support.telegram import Action, Reference, consultation


async def play(bot: Any, actions: list[Action]) -> None:
    """Send each action of a consultation, waiting for the messages it must produce."""
    for action in actions:
        if action.kind == "text":
            await bot.say(action.value, len(action.expected))
        else:
            await bot.tap(action.callback_data, len(action.expected))


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_every_card_is_one_caption_with_a_picture_and_a_link() -> None:
    engine = real_engine()
    for exercise in engine.knowledge.exercises.values():
        card = engine.render.card(exercise)
        assert card.picture == exercise.id and card.formatted
        assert visible_length(card.text) <= CAPTION_LIMIT, exercise.id
        assert not problems(card.text)
        for part in (exercise.steps[0], exercise.stop_if[0], exercise.form_cues[0]):
            assert part.split("'")[0] in card.plain_text
        assert (exercise.video or exercise.sources[0]) in card.text


def test_every_exercise_has_a_picture_drawn_once(tmp_path: Path) -> None:
    pictures = Pictures(real_engine().knowledge.exercises, tmp_path)
    drawn = pictures.draw_all()
    assert len(drawn) == len(real_engine().knowledge.exercises)
    for path in drawn:
        width, height = png_size(path)
        assert width == 800 and 250 <= height <= 1000, (path.name, width, height)
    stamps = [p.stat().st_mtime_ns for p in drawn]
    assert pictures.draw_all() == drawn
    assert [p.stat().st_mtime_ns for p in drawn] == stamps  # not drawn again


def test_a_picture_that_cannot_be_saved_is_left_out(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    pictures = Pictures(real_engine().knowledge.exercises, blocked / "pictures")
    with caplog.at_level(logging.WARNING):
        assert pictures.path("clamshell") is None
    assert "picture clamshell not saved" in caplog.text
    assert pictures.path("no_such_exercise") is None


def test_the_console_prints_the_pictures_path(tmp_path: Path) -> None:
    engine = real_engine()
    lines = iter(["/learn", "Exercise library", "Clamshell"])

    def read(_: str) -> str:
        line = next(lines, None)
        if line is None:
            raise EOFError
        return line

    out = io.StringIO()
    run_interactive(engine, read, out, Pictures(engine.knowledge.exercises, tmp_path))
    assert f"[picture: {tmp_path}/clamshell-" in out.getvalue()


async def test_cards_are_photos_uploaded_once_then_sent_by_file_id(
    fake_bot_api: FakeBotAPI,
) -> None:
    reference = Reference()
    actions = consultation(reference)
    cards = reference.text("/exercises")
    offered = [m for m in cards if m.picture]
    assert len(offered) >= 2
    async with running_bot(fake_bot_api) as bot:
        await play(bot, actions)
        assert await bot.say("/exercises", len(cards)) == cards
        again = reference.text("/exercises")
        assert await bot.say("/exercises", len(again)) == again
        await bot.quiet(0.1)
    photos = [c.params["photo"] for c in fake_bot_api.calls("sendPhoto")]
    uploads, reused = photos[: len(offered)], photos[len(offered) :]
    assert all(isinstance(p, dict) for p in uploads)  # multipart files
    assert reused == [f"photo-{n}" for n in range(1, len(offered) + 1)]


async def test_a_refused_picture_leaves_its_text(fake_bot_api: FakeBotAPI) -> None:
    reference = Reference()
    actions = consultation(reference)
    cards = reference.text("/exercises")
    async with running_bot(fake_bot_api) as bot:
        await play(bot, actions)
        fake_bot_api.fail_next("sendPhoto", status=400, description="Bad Request: PHOTO_INVALID")
        got = await bot.say("/exercises", len(cards))
        await bot.quiet(0.1)
    assert got[0] == replace(cards[0], picture=False)  # the card's text, as a message
    assert got[1:] == cards[1:]


def test_a_picture_that_cannot_be_drawn_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(picture: object, path: Path) -> None:
        raise ValueError("no such font")

    monkeypatch.setattr(pictures_module, "draw", broken)
    assert Pictures(real_engine().knowledge.exercises, tmp_path).path("plank") is None
    assert list(tmp_path.iterdir()) == []


def test_hipbot_pictures_draws_them_ahead_of_time(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "pictures", "--out", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    paths = [Path(line) for line in result.stdout.splitlines()]
    assert len(paths) == len(real_engine().knowledge.exercises)
    assert all(path.parent == tmp_path and path.is_file() for path in paths)

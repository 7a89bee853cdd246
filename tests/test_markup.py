"""The engine's message markup: escaping, plain text, checks, and how channels show it."""

from __future__ import annotations

import io

from bot.channels.console import run_json
from bot.channels.telegram import message_texts
from bot.dialogue import CONDITION_NAMES, Option, Reply
from bot.dialogue.markup import (
    Markup,
    bold,
    escape,
    headed,
    join,
    link,
    plain,
    problems,
    quote,
    visible_length,
)
from bot.dialogue.spec import check_dialogue
from bot.outbox import Outbox, decode, encode
from tests.support.engine import real_engine


def test_text_is_escaped_once_and_markup_passes_through() -> None:
    assert escape("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert escape(escape("<x>")) == "&lt;x&gt;"
    assert bold("<script>") == "<b>&lt;script&gt;</b>"
    assert join(" & ", ["<i>", bold("x")]) == "&lt;i&gt; &amp; <b>x</b>"
    assert link("a<b", 'https://e.org/?q="1"&r=2') == (
        '<a href="https://e.org/?q=&quot;1&quot;&amp;r=2">a&lt;b</a>'
    )


def test_plain_text_drops_tags_reads_entities_and_indents_quotes() -> None:
    text = join("\n", [bold("Title"), quote("one\ntwo & three", expandable=True)])
    assert plain(text) == "Title\n  one\n  two & three"
    assert visible_length(text) == len("Title\none\ntwo & three")
    assert visible_length(escape("🏃")) == 2  # UTF-16 code units, as Telegram counts


def test_problems_name_what_is_not_markup() -> None:
    assert problems(join("\n", [bold("a"), quote("b", expandable=True)])) == []
    assert problems("<u>x</u>") != []
    assert problems("<b>x") == ["leaves <b> open"]
    assert problems("x</b>") == ["closes </b> that is not open"]
    assert problems("fish & chips") != []
    assert problems("1 < 2") != []


def test_a_heading_opens_a_message_of_its_own() -> None:
    assert headed("🟢 <b>Self-care</b>") and headed("<b>What</b>")
    assert not headed("Thanks, <b>noted</b>.")
    replies = [Reply(Markup("Thanks."), formatted=True), Reply(bold("Result"), formatted=True)]
    assert message_texts([*replies, Reply("Tap")]) == ["Thanks.", "<b>Result</b>", "Tap"]
    assert message_texts([Reply("Thanks."), Reply("a < b")]) == ["Thanks.\n\na &lt; b"]


def test_a_long_formatted_reply_is_cut_between_closed_paragraphs() -> None:
    block = quote("\n\n".join(["word " * 100] * 3))
    text = join("\n\n", [bold("Head"), block, block])
    pieces = message_texts([Reply(text, formatted=True)], limit=2000, pack=2000)
    assert all(not problems(p) and visible_length(p) <= 2000 for p in pieces)
    assert len(pieces) == 2 and pieces[1] == block


def test_template_values_are_escaped() -> None:
    render = real_engine().render
    text = render.text("library_avoid", name="<b>x</b>", why="a & b")
    assert "&lt;b&gt;x&lt;/b&gt;" in text and "a &amp; b" in text
    assert problems(text) == []


def test_the_outbox_keeps_a_reply_formatted() -> None:
    replies = (Reply(bold("Hi"), (Option("Yes", "yes"),), formatted=True), Reply("a < b"))
    record = decode(encode(real_engine().new_session(), Outbox("ab12", replies)))
    assert record.outbox is not None and record.outbox.replies == replies


def test_the_console_shows_plain_text() -> None:
    out = io.StringIO()
    run_json(real_engine(), ["/summary"], out, clock=lambda: 1_000_000.0)
    summary = out.getvalue().splitlines()[-1]
    assert "Hip pain summary" in summary and "<b>" not in summary


def test_a_dialogue_text_that_is_not_markup_is_reported() -> None:
    engine = real_engine()
    texts = {**engine.dialogue.texts, "help": "Fish & chips <u>now</u>"}
    spec = engine.dialogue.model_copy(update={"texts": texts})
    found = check_dialogue(spec, engine.knowledge, CONDITION_NAMES, shown_as="d.yaml")
    assert [p.path for p in found] == ["texts.help", "texts.help"]


def test_markup_given_as_a_template_value_is_kept() -> None:
    render = real_engine().render
    session = real_engine().new_session()
    session.age = 30
    text = render.text("review", answers=render.answers(session))
    assert "<b>Age:</b> 30" in text and "&lt;b&gt;" not in text

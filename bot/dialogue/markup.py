"""The engine's message markup: a small subset of HTML that every channel can render.

Formatted replies carry bold and italic text, links and (expandable) quotes as the tags ``<b>``,
``<i>``, ``<a href>`` and ``<blockquote>`` / ``<blockquote expandable>``; every other ``&``, ``<``
and ``>`` is escaped. Markup only ever comes from our own templates: knowledge and user text is
escaped on the way in (:func:`escape`, or :meth:`Renderer.text` for template values). Telegram's
HTML parse mode reads this markup as it is; :func:`plain` turns it into text for the console.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

_TAG = re.compile(r"</?(?:b|i|a|blockquote)(?:\s[^<>]*)?>")
_QUOTE = re.compile(r"<blockquote[^<>]*>(.*?)</blockquote>", re.DOTALL)
_HEADING = re.compile(r"[^\w<]{0,4}<b>")
_OPENING = re.compile(r"<(?:b|i|a|blockquote)[\s>]")


class Markup(str):
    """A string that is already markup: it is not escaped again."""

    __slots__ = ()


def escape(text: str) -> Markup:
    """``text`` as markup: shown exactly as written (markup passes through unchanged)."""
    return text if isinstance(text, Markup) else Markup(html.escape(text, quote=False))


def bold(text: str) -> Markup:
    """``text`` in bold."""
    return Markup(f"<b>{escape(text)}</b>")


def link(label: str, url: str) -> Markup:
    """``label`` linking to ``url``."""
    return Markup(f'<a href="{html.escape(url, quote=True)}">{escape(label)}</a>')


def quote(text: str, *, expandable: bool = False) -> Markup:
    """``text`` as a quote block; an expandable one shows its first lines until tapped."""
    start = "<blockquote expandable>" if expandable else "<blockquote>"
    return Markup(f"{start}{escape(text)}</blockquote>")


def join(separator: str, parts: Iterable[str]) -> Markup:
    """``parts`` (each escaped unless already markup) joined by ``separator``."""
    return Markup(escape(separator).join(escape(part) for part in parts))


def plain(text: str) -> str:
    """Markup as plain text for a terminal: tags dropped, entities read, quotes indented."""
    indented = _QUOTE.sub(lambda m: "  " + m.group(1).replace("\n", "\n  "), text)
    return html.unescape(_TAG.sub("", indented))


def visible_length(text: str) -> int:
    """The length of markup as shown, in UTF-16 code units (as Telegram counts its limits)."""
    shown = html.unescape(_TAG.sub("", text))
    return len(shown.encode("utf-16-le")) // 2


def problems(text: str) -> list[str]:
    """What makes ``text`` not markup: an unknown tag, a stray ``<`` or ``>``, an unclosed tag."""
    found = []
    stray = _TAG.sub("", text)
    if "<" in stray or ">" in stray:
        found.append("has a < or > that is not a <b>, <i>, <a href> or <blockquote> tag")
    stack: list[str] = []
    for tag in re.findall(r"<(/?)(b|i|a|blockquote)\b", text):
        closing, name = tag
        if not closing:
            stack.append(name)
        elif not stack or stack.pop() != name:
            found.append(f"closes </{name}> that is not open")
    if stack:
        found.append(f"leaves <{stack[-1]}> open")
    if re.search(r"&(?!(?:amp|lt|gt|quot|#\d+);)", text):
        found.append("has an & that is not &amp;, &lt;, &gt; or &quot;")
    return found


def headed(text: str) -> bool:
    """Whether ``text`` opens with a bold heading (perhaps after an emoji): a section."""
    return _HEADING.match(text) is not None


def open_elements(text: str) -> int:
    """How many elements are still open at the end of ``text`` (0 where it may be cut)."""
    return len(_OPENING.findall(text)) - text.count("</")

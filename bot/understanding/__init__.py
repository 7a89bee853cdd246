"""Understanding free text: findings present or absent, yes/no answers, options and ages."""

from bot.understanding.lexicon import Lexicon
from bot.understanding.reader import Mention, Understanding, understand

__all__ = ["Lexicon", "Mention", "Understanding", "understand"]

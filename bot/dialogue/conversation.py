"""The lightweight per-conversation model the shared ``transitions.Machine`` drives."""

from __future__ import annotations

from bot.dialogue.session import Session
from bot.reasoning import QuestionPlanner

_NOT_COMPUTED = "\0"


class Conversation:
    """Wraps one session for the duration of one turn; the machine reads and sets ``state``."""

    def __init__(self, session: Session, planner: QuestionPlanner, max_questions: int) -> None:
        self.session = session
        self.choice: str | None = None
        self._planner = planner
        self._max_questions = max_questions
        self._next: str | None = _NOT_COMPUTED

    @property
    def state(self) -> str:
        """The current dialogue state (stored in the session)."""
        return self.session.state

    @state.setter
    def state(self, value: str) -> None:
        self.session.state = value

    def next_question(self) -> str | None:
        """The next targeted question, computed at most once per turn."""
        if self._next == _NOT_COMPUTED:
            budget_left = len(self.session.asked) < self._max_questions
            self._next = self._planner.next_question(self.session.answers, budget_left=budget_left)
        return self._next

    def forget_next_question(self) -> None:
        """Answers changed: the next question must be chosen again."""
        self._next = _NOT_COMPUTED
